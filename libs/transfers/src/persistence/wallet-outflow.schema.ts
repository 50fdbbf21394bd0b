import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One payout's claim on a hot wallet's funds, from just before its signature until its block is in. */
@Schema({ _id: false, versionKey: false })
export class OutflowHoldDoc {
  @Prop({ type: String, required: true }) transferId!: string;
  @Prop({ type: String, required: true }) txid!: string;
  /** USDT it moves (0 for an approve), int64 base units. */
  @Prop({ type: BigInt, required: true }) usdtRaw!: bigint;
  /** Its worst-case fee in sun. */
  @Prop({ type: BigInt, required: true }) feeSun!: bigint;
  /** The transaction's expiration: no block after it can include it. */
  @Prop({ type: Date, required: true }) expiresAt!: Date;
}

export const OutflowHoldSchema = SchemaFactory.createForClass(OutflowHoldDoc);

/**
 * What one hot wallet has committed to transactions the chain has not shown yet, for every instance at once
 * (WalletOutflowStore). `usdtRaw` and `feeSun` are the sums of `holds`, kept in the same update as the holds
 * themselves, so a conditional reservation can be one command. Small by design: a hold leaves when its
 * transaction is in a head block, or once it has expired unseen.
 */
@Schema({ collection: 'wallet_outflow', versionKey: false })
export class WalletOutflowDoc {
  /** The wallet's base58 address. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: BigInt, required: true }) usdtRaw!: bigint;
  @Prop({ type: BigInt, required: true }) feeSun!: bigint;
  /**
   * The highest block whose transactions' holds were given back: a balance read at an older block does not
   * show them spent yet, so it may not be used to reserve.
   */
  @Prop({ type: Number, required: true }) releasedThrough!: number;
  @Prop({ type: [OutflowHoldSchema], default: [] }) holds!: OutflowHoldDoc[];
}

export const WalletOutflowSchema = SchemaFactory.createForClass(WalletOutflowDoc);
