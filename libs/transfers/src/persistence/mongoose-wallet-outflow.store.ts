import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import { isDuplicateKeyError } from '@app/database';

import { ensureCommand, releaseCommand, reserveCommand, toOutflow } from './wallet-outflow-commands';
import { WalletOutflowDoc } from './wallet-outflow.schema';
import { FundsAtBlock, OutflowHold, WalletOutflow, WalletOutflowStore } from './wallet-outflow.store';

@Injectable()
export class MongooseWalletOutflowStore extends WalletOutflowStore {
  constructor(@InjectModel(WalletOutflowDoc.name) private readonly model: Model<WalletOutflowDoc>) {
    super();
  }

  async ensure(wallet: string): Promise<void> {
    const { filter, update } = ensureCommand(wallet);
    try {
      await this.model.updateOne(filter, update, { upsert: true });
    } catch (err) {
      // Another instance created it at the same moment: it exists, which is all this asks.
      if (!isDuplicateKeyError(err)) throw err;
    }
  }

  async tryReserve(wallet: string, hold: OutflowHold, funds: FundsAtBlock): Promise<boolean> {
    const { filter, update } = reserveCommand(wallet, hold, funds);
    const result = await this.model.updateOne(filter, update);
    return result.modifiedCount === 1;
  }

  async tryRelease(wallet: string, holds: readonly OutflowHold[], releasedThrough: number): Promise<boolean> {
    if (!holds.length) return true;
    const { filter, update } = releaseCommand(wallet, holds, releasedThrough);
    const result = await this.model.updateOne(filter, update);
    return result.modifiedCount === 1;
  }

  async find(wallet: string): Promise<WalletOutflow | null> {
    const doc = await this.model.findById(wallet).lean<WalletOutflowDoc>();
    return doc ? toOutflow(doc) : null;
  }

  async withHolds(): Promise<WalletOutflow[]> {
    const docs = await this.model.find({ 'holds.0': { $exists: true } }).lean<WalletOutflowDoc[]>();
    return docs.map(toOutflow);
  }
}
