import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ _id: false })
export class ResumeVoteRecord {
  @Prop({ required: true }) by!: string;
  @Prop({ required: true }) at!: Date;
  @Prop() comment?: string;
}

/**
 * The emergency stop, shared by every instance: one document, read before every signature. `revision` grows
 * with every change so concurrent stop/resume requests compare-and-set instead of overwriting each other.
 */
@Schema({ collection: 'emergency_state', versionKey: false })
export class EmergencyStateDoc {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) active!: boolean;
  @Prop({ required: true }) revision!: number;
  @Prop() reason?: string;
  @Prop() stoppedBy?: string;
  @Prop() stoppedAt?: Date;
  @Prop({ type: [ResumeVoteRecord], default: [] }) resumeVotes!: ResumeVoteRecord[];
  @Prop() resumedAt?: Date;
}

export const EmergencyStateSchema = SchemaFactory.createForClass(EmergencyStateDoc);
