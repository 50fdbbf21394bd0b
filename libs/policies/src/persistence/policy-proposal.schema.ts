import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

import { PROPOSAL_STATUSES, ProposalStatus } from '../domain/policy-proposal';

/** A four-eyes policy change (see domain/policy-proposal.ts); one document per proposal. */
@Schema({
  collection: 'policy_proposals',
  versionKey: false,
  timestamps: { createdAt: true, updatedAt: false },
})
export class PolicyProposalDoc {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true, enum: PROPOSAL_STATUSES }) status!: ProposalStatus;
  @Prop({ type: Object, required: true }) document!: Record<string, unknown>;
  @Prop({ required: true }) baseRevision!: number;
  @Prop({ required: true }) proposedBy!: string;
  @Prop({ required: true }) quorum!: number;
  @Prop({ type: [Object], default: [] }) votes!: Array<Record<string, unknown>>;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop() decidedAt?: Date;
  @Prop() appliedRevision?: number;
  @Prop({ required: true, default: 0 }) revision!: number;
  createdAt!: Date;
}

export const PolicyProposalSchema = SchemaFactory.createForClass(PolicyProposalDoc);
// GET /policies/proposals: newest first, optionally by status.
PolicyProposalSchema.index({ status: 1, createdAt: -1, _id: -1 });
PolicyProposalSchema.index({ createdAt: -1, _id: -1 });
