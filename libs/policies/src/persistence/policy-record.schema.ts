import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The policies an admin set at run time (PUT /policies), shared by every instance. One document; `revision`
 * grows by one per change and guards concurrent replacements.
 */
@Schema({ collection: 'policies', versionKey: false })
export class PolicyRecordDoc {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) revision!: number;
  /** The validated policy document, as written (amounts as decimal strings). */
  @Prop({ type: Object, required: true }) document!: Record<string, unknown>;
  @Prop({ required: true }) updatedBy!: string;
  @Prop({ required: true }) updatedAt!: Date;
  /** Set when the revision came from a four-eyes proposal: which one, and who approved it. */
  @Prop() proposalId?: string;
  @Prop({ type: [String], default: undefined }) approvedBy?: string[];
}

export const PolicyRecordSchema = SchemaFactory.createForClass(PolicyRecordDoc);
