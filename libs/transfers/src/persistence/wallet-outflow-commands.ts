import type { FilterQuery, UpdateQuery } from 'mongoose';

import { WalletOutflowDoc } from './wallet-outflow.schema';
import { FundsAtBlock, MAX_HOLDS_PER_WALLET, OutflowHold, WalletOutflow } from './wallet-outflow.store';

/**
 * The filters and updates of the wallet outflow store, in one place and pure, as transfer-commands is for
 * transfers.
 */

export interface OutflowCommand {
  filter: FilterQuery<WalletOutflowDoc>;
  update: UpdateQuery<WalletOutflowDoc>;
}

export function ensureCommand(wallet: string): OutflowCommand {
  return {
    filter: { _id: wallet },
    update: { $setOnInsert: { usdtRaw: 0n, feeSun: 0n, releasedThrough: 0, holds: [] } },
  };
}

export function reserveCommand(wallet: string, hold: OutflowHold, funds: FundsAtBlock): OutflowCommand {
  return {
    filter: {
      _id: wallet,
      releasedThrough: { $lte: funds.atBlock },
      usdtRaw: { $lte: funds.usdtRaw - hold.usdtRaw },
      feeSun: { $lte: funds.trxSun - hold.feeSun },
      'holds.transferId': { $ne: hold.transferId },
      [`holds.${MAX_HOLDS_PER_WALLET - 1}`]: { $exists: false },
    },
    update: { $push: { holds: hold }, $inc: { usdtRaw: hold.usdtRaw, feeSun: hold.feeSun } },
  };
}

export function releaseCommand(
  wallet: string,
  holds: readonly OutflowHold[],
  releasedThrough: number,
): OutflowCommand {
  const txids = holds.map((hold) => hold.txid);
  const sum = (pick: (hold: OutflowHold) => bigint) => holds.reduce((total, hold) => total + pick(hold), 0n);
  return {
    filter: { _id: wallet, 'holds.txid': { $all: txids } },
    update: {
      $pull: { holds: { txid: { $in: txids } } },
      $inc: { usdtRaw: -sum((hold) => hold.usdtRaw), feeSun: -sum((hold) => hold.feeSun) },
      $max: { releasedThrough },
    },
  };
}

export function toOutflow(doc: WalletOutflowDoc): WalletOutflow {
  return {
    wallet: doc._id,
    usdtRaw: BigInt(doc.usdtRaw),
    feeSun: BigInt(doc.feeSun),
    releasedThrough: doc.releasedThrough,
    holds: (doc.holds ?? []).map((hold) => ({
      transferId: hold.transferId,
      txid: hold.txid,
      usdtRaw: BigInt(hold.usdtRaw),
      feeSun: BigInt(hold.feeSun),
      expiresAt: new Date(hold.expiresAt),
    })),
  };
}
