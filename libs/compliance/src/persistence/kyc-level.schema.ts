import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

import { KYC_LEVELS, KycLevel } from '@app/policies';

/** The KYC level an admin recorded for one counterparty address. Unknown addresses are `none`. */
@Schema({ collection: 'kyc_levels', versionKey: false })
export class KycLevelDoc {
  @Prop({ type: String, required: true }) address!: string;
  @Prop({ type: String, required: true, enum: KYC_LEVELS }) level!: KycLevel;
  @Prop({ type: String }) note?: string;
  @Prop({ type: String, required: true }) updatedBy!: string;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}

export const KycLevelSchema = SchemaFactory.createForClass(KycLevelDoc);
KycLevelSchema.index({ address: 1 }, { unique: true, name: 'kyc_levels_address_unique' });
