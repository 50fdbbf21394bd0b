import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One hot wallet. The private key exists here only as AES-256-GCM ciphertext; its nonce, ciphertext and tag
 * are `select: false`, so an ordinary query (listing, resolving the payer) never even loads them: only the
 * repository's explicit key read does.
 */
@Schema({ collection: 'wallets', timestamps: { createdAt: true, updatedAt: true }, versionKey: false })
export class WalletDocument {
  /** Base58 (T...), the one spelling used everywhere; also the cipher's associated data. */
  @Prop({ required: true, type: String })
  address!: string;

  @Prop({ required: true, type: String })
  label!: string;

  /** Master key the private key is encrypted under; rotation looks for records not under the current one. */
  @Prop({ required: true, type: String })
  keyId!: string;

  @Prop({ required: true, type: String, select: false })
  keyNonce!: string;

  @Prop({ required: true, type: String, select: false })
  keyCiphertext!: string;

  @Prop({ required: true, type: String, select: false })
  keyTag!: string;

  /** A disabled wallet is listed but never chosen as a payer, and the signer refuses to sign for it. */
  @Prop({ required: true, type: Boolean, default: false })
  disabled!: boolean;

  /** Compare-and-set revision of the disable/enable state below; absent (0) on a wallet never disabled. */
  @Prop({ type: Number })
  controlRevision?: number;

  @Prop({ type: String })
  disabledReason?: string;

  @Prop({ type: String })
  disabledBy?: string;

  @Prop({ type: Date })
  disabledAt?: Date;

  /** Admins who asked to enable it again since it was disabled. */
  @Prop({ type: [{ _id: false, by: String, at: Date, comment: String }], default: undefined })
  enableVotes?: { by: string; at: Date; comment?: string }[];

  @Prop({ type: Date })
  enabledAt?: Date;

  createdAt!: Date;
  updatedAt!: Date;
}

export const WalletSchema = SchemaFactory.createForClass(WalletDocument);

// One record per address and per label: concurrent imports of the same key or label cannot both win.
WalletSchema.index({ address: 1 }, { unique: true, name: 'wallets_address_unique' });
WalletSchema.index({ label: 1 }, { unique: true, name: 'wallets_label_unique' });
// Rotation scans for records not under the current key; the default payer is the oldest enabled wallet.
WalletSchema.index({ keyId: 1 }, { name: 'wallets_key_id' });
WalletSchema.index({ disabled: 1, createdAt: 1 }, { name: 'wallets_enabled_by_age' });
