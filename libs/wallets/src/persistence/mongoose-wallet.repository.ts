import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import { AppError, ErrorCode } from '@app/common';

import { EncryptedKey, Wallet, WalletControl, WalletKeyRecord } from '../domain/wallet';
import { CONTROL_FIELDS, WalletLean, WalletMapper } from './wallet.mapper';
import { NewWallet, WalletRepository } from './wallet.repository';
import { WalletDocument } from './wallet.schema';

const PUBLIC_FIELDS = `address label keyId disabled createdAt ${CONTROL_FIELDS}`;
const KEY_FIELDS = 'address keyId disabled +keyNonce +keyCiphertext +keyTag';

@Injectable()
export class MongooseWalletRepository extends WalletRepository {
  constructor(@InjectModel(WalletDocument.name) private readonly model: Model<WalletDocument>) {
    super();
  }

  async insert(wallet: NewWallet): Promise<Wallet> {
    try {
      const created = await this.model.create({
        address: wallet.address,
        label: wallet.label,
        disabled: false,
        ...WalletMapper.keyFields(wallet.encryptedKey),
      });
      return WalletMapper.toDomain(created.toObject<WalletLean>());
    } catch (err) {
      if (isDuplicateKey(err)) {
        throw new AppError(ErrorCode.WRITE_CONFLICT, 'a wallet with this address or label already exists', [
          { field: 'address|label', message: 'already registered' },
        ]);
      }
      throw databaseError(err);
    }
  }

  async findByAddress(address: string): Promise<Wallet | null> {
    return this.findOne({ address });
  }

  async findByLabel(label: string): Promise<Wallet | null> {
    return this.findOne({ label });
  }

  async list(): Promise<Wallet[]> {
    const docs = await this.run(() =>
      this.model.find().select(PUBLIC_FIELDS).sort({ createdAt: 1, _id: 1 }).lean<WalletLean[]>().exec(),
    );
    return docs.map((doc) => WalletMapper.toDomain(doc));
  }

  async findOldestEnabled(): Promise<Wallet | null> {
    const doc = await this.run(() =>
      this.model
        .findOne({ disabled: false })
        .select(PUBLIC_FIELDS)
        .sort({ createdAt: 1, _id: 1 })
        .lean<WalletLean>()
        .exec(),
    );
    return doc ? WalletMapper.toDomain(doc) : null;
  }

  async count(): Promise<number> {
    return this.run(() => this.model.countDocuments().exec());
  }

  async writeControl(
    address: string,
    expectedRevision: number,
    disabled: boolean,
    next: Omit<WalletControl, 'revision'>,
  ): Promise<boolean> {
    // A wallet never disabled has no revision field at all: revision 0 matches it by its absence.
    const revisionGuard =
      expectedRevision === 0
        ? { $or: [{ controlRevision: { $exists: false } }, { controlRevision: 0 }] }
        : { controlRevision: expectedRevision };
    const result = await this.run(() =>
      this.model
        .updateOne(
          { address, ...revisionGuard },
          WalletMapper.controlUpdate(expectedRevision + 1, disabled, next),
        )
        .exec(),
    );
    return result.modifiedCount === 1;
  }

  async findKeyRecord(address: string): Promise<WalletKeyRecord | null> {
    const doc = await this.run(() =>
      this.model.findOne({ address }).select(KEY_FIELDS).lean<WalletLean>().exec(),
    );
    return doc ? WalletMapper.toKeyRecord(doc) : null;
  }

  async findKeyRecordsNotUnder(
    keyId: string,
    limit: number,
    afterAddress?: string,
  ): Promise<WalletKeyRecord[]> {
    const filter = afterAddress
      ? { keyId: { $ne: keyId }, address: { $gt: afterAddress } }
      : { keyId: { $ne: keyId } };
    const docs = await this.run(() =>
      this.model
        .find(filter)
        .select(KEY_FIELDS)
        .sort({ address: 1 })
        .limit(limit)
        .lean<WalletLean[]>()
        .exec(),
    );
    return docs.map((doc) => WalletMapper.toKeyRecord(doc));
  }

  async replaceKey(address: string, expected: EncryptedKey, next: EncryptedKey): Promise<boolean> {
    const result = await this.run(() =>
      this.model
        .updateOne(
          { address, keyId: expected.keyId, keyNonce: expected.nonce },
          { $set: WalletMapper.keyFields(next) },
        )
        .exec(),
    );
    return result.modifiedCount === 1;
  }

  private async findOne(filter: { address: string } | { label: string }): Promise<Wallet | null> {
    const doc = await this.run(() =>
      this.model.findOne(filter).select(PUBLIC_FIELDS).lean<WalletLean>().exec(),
    );
    return doc ? WalletMapper.toDomain(doc) : null;
  }

  private async run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      throw databaseError(err);
    }
  }
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/**
 * Database failures become USDT_ERR_600. The cause is kept for the log: wallet queries and their errors hold
 * addresses and key ids at most, never plaintext keys (the cause of an insert may echo the duplicate address).
 */
function databaseError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError(ErrorCode.DATABASE_UNAVAILABLE, 'wallet registry unavailable', [], { cause: err });
}
