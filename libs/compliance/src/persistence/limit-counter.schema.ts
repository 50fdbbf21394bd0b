import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ _id: false })
export class WindowEntryDoc {
  @Prop({ type: String, required: true }) id!: string;
  @Prop({ type: BigInt, required: true }) amountRaw!: bigint;
  @Prop({ type: Date, required: true }) at!: Date;
}
export const WindowEntrySchema = SchemaFactory.createForClass(WindowEntryDoc);

/**
 * One limit counter. Three shapes share the collection, told apart by the key prefix:
 * - sum counters (`wallet-day:...`, `wallet-month:...`, `network-day:...`, `destination-day:...`): `used` grows
 *   with a conditional `$inc` and shrinks when a transfer's reservation is given back. Documents written
 *   before release markers existed also carry `holders` (the ids of the transfers in the sum); it is no longer
 *   read or grown, so a counter stays the same size whatever number of payouts it counts;
 * - sliding windows (`destination-window:<address>`): `entries` rewritten with compare-and-set on `revision`;
 * - release markers (`released:<transferId>`): present once the transfer's reservations were given back.
 * No field has a default: an upsert must not `$setOnInsert` a path its own update also sets.
 */
@Schema({ collection: 'limit_counters', versionKey: false })
export class LimitCounterDoc {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: BigInt }) used?: bigint;
  @Prop({ type: [WindowEntrySchema], default: undefined }) entries?: WindowEntryDoc[];
  @Prop({ type: Number }) revision?: number;
  /** After this the counter's period (or window) is over; deleted by code, not by a TTL index. */
  @Prop({ type: Date, required: true }) expiresAt!: Date;
}

export const LimitCounterSchema = SchemaFactory.createForClass(LimitCounterDoc);
// The periodic clean-up deletes by expiry. Deliberately not a TTL index (the embedded engine has none).
LimitCounterSchema.index({ expiresAt: 1 }, { name: 'limit_counters_expires_at' });
