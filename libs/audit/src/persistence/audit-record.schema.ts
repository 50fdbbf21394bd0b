import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

import type { AuditActor } from '../audit-trail';

/**
 * One link of the hash chain (collection `audit_log`). Records are only ever inserted: nothing in the code
 * base updates or deletes them, and GET /audit/verify finds it if anything else did.
 * `subject` and `actor` are plain objects (Mixed) so that Mongoose adds no defaults or `_id`s the hash would
 * not cover; `before`, `after` and `details` are canonical JSON text (see PreparedEntry).
 */
@Schema({ collection: 'audit_log', versionKey: false, minimize: false })
export class AuditRecordDoc {
  /** The seq, zero-padded (`000000000042`): one record per seq, found by primary key. */
  @Prop({ type: String }) _id?: string;
  /** 1, 2, 3...: the unique index is what makes a concurrent second writer of the same seq fail. */
  @Prop({ type: Number, required: true }) seq!: number;
  @Prop({ type: Date, required: true }) at!: Date;
  @Prop({ type: String, required: true }) action!: string;
  @Prop({ type: Object }) subject?: { type: string; id: string };
  @Prop({ type: Object, required: true }) actor!: AuditActor;
  @Prop({ type: String }) before?: string;
  @Prop({ type: String }) after?: string;
  @Prop({ type: String }) details?: string;
  @Prop({ type: String, required: true }) prevHash!: string;
  @Prop({ type: String, required: true }) hash!: string;
}

export const AuditRecordSchema = SchemaFactory.createForClass(AuditRecordDoc);

// The chain: one record per seq, so two writers cannot both extend the same head.
AuditRecordSchema.index({ seq: 1 }, { unique: true, name: 'audit_log_seq_unique' });
// GET /audit filters, each newest first.
AuditRecordSchema.index({ action: 1, seq: -1 }, { name: 'audit_log_action' });
AuditRecordSchema.index({ 'actor.id': 1, seq: -1 }, { name: 'audit_log_actor' });
AuditRecordSchema.index({ 'subject.type': 1, 'subject.id': 1, seq: -1 }, { name: 'audit_log_subject' });
AuditRecordSchema.index({ at: 1 }, { name: 'audit_log_at' });
