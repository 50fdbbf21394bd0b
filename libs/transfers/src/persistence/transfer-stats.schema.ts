import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Counts and volumes of transfers by creation day, kind and current status, kept by TransferStatsCounters from
 * the transfer events. One document per day, kind and shard (`<day>|<kind>|<0-f>`, the last hex digit of the
 * transfer id), so that no document holds more than a sixteenth of a day's transfers; plus one `since`
 * document: the moment counting started.
 */
@Schema({ collection: 'transfer_stats', versionKey: false })
export class TransferStatsDoc {
  @Prop({ type: String, required: true }) _id!: string;
  /** UTC day of creation (YYYY-MM-DD) of the transfers counted here. */
  @Prop() day?: string;
  @Prop() kind?: string;
  /** Transfers now in each status. */
  @Prop({ type: Object }) count?: Record<string, number>;
  /** Their amounts (int64 base units) per status. */
  @Prop({ type: Object }) amountRaw?: Record<string, bigint>;
  /**
   * The events already counted, per transfer id: an event delivered twice (delivery is at least once) is
   * counted once, in any order.
   */
  @Prop({ type: Object }) applied?: Record<string, number[]>;
  /** On the `since` document: transfers created from then on are counted here. */
  @Prop() since?: Date;
}

export const TransferStatsSchema = SchemaFactory.createForClass(TransferStatsDoc);
// GET /stats reads the documents of the days it shows (`{day: {$in: [...]}}`), on both engines by index.
TransferStatsSchema.index({ day: 1 });
