import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ _id: false })
export class WindowEntryDoc {
  @Prop({ type: String, required: true }) id!: string;
  @Prop({ type: BigInt, required: true }) amountRaw!: bigint;
  @Prop({ type: Date, required: true }) at!: Date;
}
export const WindowEntrySchema = SchemaFactory.createForClass(WindowEntryDoc);

/**
 * One limit counter. Two shapes share the collection, told apart by the key prefix:
 * - sum counters (`wallet-day:...`, `wallet-month:...`, `network-day:...`, `destination-day:...`): `used` grows
 *   with a conditional `$inc`, and `holders` lists the transfers whose amounts are in it, so a release can
 *   only give back what a transfer actually holds, once;
 * - sliding windows (`destination-window:<address>`): `entries` rewritten with compare-and-set on `revision`.
 * No field has a default: an upsert must not `$setOnInsert` a path its own update also sets.
 */
@Schema({ collection: 'limit_counters', versionKey: false })
export class LimitCounterDoc {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: BigInt }) used?: bigint;
  @Prop({ type: [String], default: undefined }) holders?: string[];
  @Prop({ type: [WindowEntrySchema], default: undefined }) entries?: WindowEntryDoc[];
  @Prop({ type: Number }) revision?: number;
  /** After this the counter's period (or window) is over; deleted by code, not by a TTL index. */
  @Prop({ type: Date, required: true }) expiresAt!: Date;
}

export const LimitCounterSchema = SchemaFactory.createForClass(LimitCounterDoc);
// The periodic clean-up deletes by expiry. Deliberately not a TTL index (the embedded engine has none).
LimitCounterSchema.index({ expiresAt: 1 }, { name: 'limit_counters_expires_at' });
