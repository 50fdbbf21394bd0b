import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import type { AuthUser } from '@app/auth';
import {
  AppError,
  ErrorCode,
  ErrorDetail,
  forEachIndex,
  isDatabaseUnavailableError,
  parseUsdtAmount,
} from '@app/common';

import { GovernanceRecord } from '../domain/governance';
import { assertSameRequest, requestHash } from '../domain/request-hash';
import { Transfer } from '../domain/transfer';
import { TransferRepository } from '../persistence/transfer.repository';
import { PolicyDraft, TransferPolicy } from '../policy/transfer-policy';
import { PerKeyQueue } from '../worker/per-key-queue';
import { TransferEvents } from '../worker/transfer-events';
import { DestinationGuard } from './destination-guard';
import { assertNotSelf, PayingWallet } from './paying-wallet';

/** Destinations of one batch checked side by side. */
const DESTINATION_CHECKS_AT_ONCE = 4;
/** Items of one batch stored side by side. */
const INSERTS_AT_ONCE = 8;

export interface BatchItemRequest {
  to: string;
  amount: string;
  memo?: string;
  reference?: string;
}

export interface BatchRequest {
  caller: AuthUser;
  idempotencyKey: string;
  wallet?: string;
  items: BatchItemRequest[];
}

export interface BatchResult {
  batchId: string;
  transfers: Transfer[];
  /** True when the Idempotency-Key had already created every item: nothing new was done. */
  replay: boolean;
}

/**
 * Many payouts as one request. Items are validated and decided together (all accepted or none: a refused
 * item is reported with its index and nothing is kept), then stored as ordinary transfers that share a
 * `batchId`. Each item's Idempotency-Key is `<caller>:<key>#<index>`, so a repeat of an interrupted request
 * (a crash between items) stores exactly the missing items and a plain repeat replays the batch.
 */
@Injectable()
export class RequestBatch {
  private readonly logger = new Logger(RequestBatch.name);

  constructor(
    private readonly transfers: TransferRepository,
    private readonly payingWallet: PayingWallet,
    private readonly destinations: DestinationGuard,
    private readonly policy: TransferPolicy,
    private readonly events: TransferEvents,
  ) {}

  private readonly sameKey = new PerKeyQueue();

  /** Identical batch requests reaching this instance at once are taken one after another (see RequestOperation). */
  execute(request: BatchRequest): Promise<BatchResult> {
    return this.sameKey.run(`${request.caller.sub}:${request.idempotencyKey}`, () => this.accept(request));
  }

  private async accept(request: BatchRequest): Promise<BatchResult> {
    const amounts = request.items.map((item) => parseUsdtAmount(item.amount));
    const totalRaw = amounts.reduce((sum, amount) => sum + amount, 0n);
    const hash = requestHash('batch', {
      wallet: request.wallet,
      items: request.items.map((item, i) => [item.to, amounts[i].toString(), item.memo, item.reference]),
    });
    const keyOf = (index: number) => `${request.caller.sub}:${request.idempotencyKey}#${index}`;

    const first = await this.transfers.findByIdempotencyKey(keyOf(0));
    if (first) assertSameRequest(first, hash);
    const batchId = first?.batchId ?? randomUUID();
    const stored = first ? await this.transfers.findByBatch(batchId) : [];
    const storedKeys = new Set(stored.map((t) => t.idempotencyKey));
    const missing = request.items.map((_, i) => i).filter((i) => !storedKeys.has(keyOf(i)));
    if (missing.length === 0) return { batchId, transfers: ordered(stored, keyOf), replay: true };

    const wallet = await this.payingWallet.resolve(request.wallet);
    request.items.forEach((item, i) => assertNotSelf(wallet.address, item.to, `items.${i}.to`));
    await this.assertDestinations(request.items, missing);
    const at = new Date();
    const drafts: PolicyDraft[] = missing.map((i) => ({
      transferId: randomUUID(),
      kind: 'transfer',
      wallet: wallet.address,
      to: request.items[i].to,
      amountRaw: amounts[i],
      requestedBy: request.caller,
      at,
    }));
    const decisions = await this.policy.decideBatch({ batchId, totalRaw, items: drafts });

    // The first item alone: whether it is a duplicate tells whose batch this is. The rest side by side.
    // `unknown`: the database did not answer its insert, which may still have been committed.
    const itemState: Array<'stored' | 'duplicate' | 'failed' | 'unknown' | undefined> = [];
    const created: Transfer[] = [];
    const storeItem = async (n: number): Promise<void> => {
      const index = missing[n];
      const item = request.items[index];
      const { governance } = decisions[n];
      let inserted: Transfer | 'duplicate';
      try {
        inserted = await this.transfers.insert({
          id: drafts[n].transferId,
          kind: 'transfer',
          status: decisions[n].outcome,
          wallet: wallet.address,
          to: item.to,
          amountRaw: amounts[index],
          memo: item.memo,
          reference: item.reference,
          internal: false,
          requestedBy: request.caller.sub,
          batchId,
          idempotencyKey: keyOf(index),
          requestHash: hash,
          governance,
        });
      } catch (err) {
        itemState[n] = isDatabaseUnavailableError(err) ? 'unknown' : 'failed';
        throw err;
      }
      if (inserted === 'duplicate') {
        itemState[n] = 'duplicate';
        // An identical request is completing the same batch right now: its item stands, ours never existed.
        if (first || n > 0) await this.policy.released({ id: drafts[n].transferId, governance });
        return;
      }
      itemState[n] = 'stored';
      this.events.created(inserted);
      created.push(inserted);
    };
    try {
      await storeItem(0);
      if (itemState[0] === 'duplicate' && !first) {
        // An identical request (on another instance) stored the first item under its own batch id: the
        // batch is its. Give back everything ours reserved and complete or replay the winner's batch, so
        // the items never end up split across two batch ids.
        await this.release(drafts, decisions, () => true);
        return this.accept(request);
      }
      await forEachIndex(missing.length - 1, INSERTS_AT_ONCE, (n) => storeItem(n + 1));
    } catch (err) {
      // The items not stored give back what they reserved; a repeat of the request completes the batch. An
      // item whose insert went unanswered keeps its hold, as a single payout's does (RequestOperation): it
      // may be stored, and giving its capacity back could let it pay outside its limits.
      await this.release(drafts, decisions, (n) => itemState[n] === undefined || itemState[n] === 'failed');
      throw err;
    }
    this.logger.log({ batchId, items: request.items.length, created: created.length }, 'batch accepted');
    const all = await this.transfers.findByBatch(batchId);
    if (all.length < request.items.length) {
      throw new AppError(
        ErrorCode.WRITE_CONFLICT,
        'The batch is being stored concurrently; repeat the request',
      );
    }
    return { batchId, transfers: ordered(all, keyOf), replay: false };
  }

  /**
   * Every item still to store is checked before anything is reserved; each distinct destination is asked
   * about once, a few at a time (the node's rate limit is shared with the pipeline). A batch pays outsiders
   * only: a move to our own wallet is a single transfer with `internal: true`.
   */
  private async assertDestinations(items: BatchItemRequest[], indexes: number[]): Promise<void> {
    const firstIndexOf = new Map<string, number>();
    for (const i of indexes) if (!firstIndexOf.has(items[i].to)) firstIndexOf.set(items[i].to, i);
    const pending = [...firstIndexOf.entries()];
    const refusals: ErrorDetail[] = [];
    const worker = async () => {
      for (let next = pending.shift(); next; next = pending.shift()) {
        const [to, index] = next;
        try {
          await this.destinations.assertAllowed({
            kind: 'transfer',
            to,
            internal: false,
            field: `items.${index}.to`,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== ErrorCode.DESTINATION_NOT_ALLOWED) throw err;
          refusals.push(...err.details.map((detail) => ({ ...detail, item: index })));
        }
      }
    };
    await Promise.all(Array.from({ length: DESTINATION_CHECKS_AT_ONCE }, worker));
    if (refusals.length === 0) return;
    refusals.sort((a, b) => Number(a.item) - Number(b.item));
    throw new AppError(
      ErrorCode.DESTINATION_NOT_ALLOWED,
      `${refusals.length} item(s) name a destination that is not allowed`,
      refusals,
    );
  }

  /**
   * Gives back what the chosen unstored items reserved. A failure is logged, not thrown: the caller is
   * already answering with the error that matters, and capacity left held only makes limits stricter.
   */
  private async release(
    drafts: PolicyDraft[],
    decisions: Array<{ governance: GovernanceRecord }>,
    chosen: (n: number) => boolean,
  ): Promise<void> {
    for (let n = 0; n < drafts.length; n++) {
      if (!chosen(n)) continue;
      const id = drafts[n].transferId;
      await this.policy
        .released({ id, governance: decisions[n].governance })
        .catch((err: unknown) =>
          this.logger.error({ err, transferId: id }, 'could not release an unstored item'),
        );
    }
  }
}

/** Items in request order (their keys end in the index). */
function ordered(transfers: Transfer[], keyOf: (index: number) => string): Transfer[] {
  const byKey = new Map(transfers.map((t) => [t.idempotencyKey, t]));
  const result: Transfer[] = [];
  for (let i = 0; ; i++) {
    const transfer = byKey.get(keyOf(i));
    if (!transfer) return result;
    result.push(transfer);
  }
}
