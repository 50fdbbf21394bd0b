import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

import { SCREENING_LISTS, ScreeningList } from '../domain/screening';

/** One address on the admins' block or allow list. */
@Schema({ collection: 'screening_entries', versionKey: false })
export class ScreeningEntryDoc {
  @Prop({ type: String, required: true }) address!: string;
  @Prop({ type: String, required: true, enum: SCREENING_LISTS }) list!: ScreeningList;
  @Prop({ type: String }) reason?: string;
  @Prop({ type: String, required: true }) source!: string;
  @Prop({ type: String, required: true }) addedBy!: string;
  @Prop({ type: Date, required: true }) addedAt!: Date;
}

export const ScreeningEntrySchema = SchemaFactory.createForClass(ScreeningEntryDoc);
// An address is on a list at most once; screening reads both lists of one address with the same index.
ScreeningEntrySchema.index(
  { address: 1, list: 1 },
  { unique: true, name: 'screening_entries_address_list_unique' },
);
// Screening a payout reads both lists of its addresses (`{address: {$in}}`). MongoDB serves that from the
// unique index's prefix; the embedded engine serves unique indexes only for their whole key, and scanned every
// entry of every list (an imported sanctions list of 100,000 made each payout walk them all). Redundant on
// MongoDB, where the collection is rarely written.
ScreeningEntrySchema.index({ address: 1 }, { name: 'screening_entries_address' });
// Listing one list page by page, in address order.
ScreeningEntrySchema.index({ list: 1, address: 1 }, { name: 'screening_entries_list_address' });
