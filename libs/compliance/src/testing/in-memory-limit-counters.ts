import { WindowEntry } from '../domain/sliding-window';
import {
  LimitCounterRepository,
  SharedSumReservationRequest,
  SumReservationRequest,
  SumReservationResult,
  WindowState,
} from '../persistence/limit-counter.repository';

/** The counter repository's contract in memory, for unit specs of the ledger. */
export class InMemoryLimitCounters extends LimitCounterRepository {
  readonly sums = new Map<string, { used: bigint; holders: Set<string>; expiresAt: Date }>();
  readonly windows = new Map<string, WindowState>();

  reserveSum(request: SumReservationRequest): Promise<SumReservationResult> {
    const counter = this.sums.get(request.key) ?? {
      used: 0n,
      holders: new Set<string>(),
      expiresAt: request.expiresAt,
    };
    if (counter.holders.has(request.holder)) return Promise.resolve({ status: 'already_held' });
    if (counter.used + request.amountRaw > request.max) {
      return Promise.resolve({ status: 'exceeded', used: counter.used });
    }
    counter.used += request.amountRaw;
    counter.holders.add(request.holder);
    this.sums.set(request.key, counter);
    return Promise.resolve({ status: 'reserved' });
  }

  reserveSumTogether(request: SharedSumReservationRequest): Promise<boolean> {
    const counter = this.sums.get(request.key) ?? {
      used: 0n,
      holders: new Set<string>(),
      expiresAt: request.expiresAt,
    };
    const total = request.shares.reduce((sum, share) => sum + share.amountRaw, 0n);
    if (request.shares.some((share) => counter.holders.has(share.holder))) return Promise.resolve(false);
    if (counter.used + total > request.max) return Promise.resolve(false);
    counter.used += total;
    for (const share of request.shares) counter.holders.add(share.holder);
    this.sums.set(request.key, counter);
    return Promise.resolve(true);
  }

  releaseSum(key: string, holder: string, amountRaw: bigint): Promise<boolean> {
    const counter = this.sums.get(key);
    if (!counter?.holders.delete(holder)) return Promise.resolve(false);
    counter.used -= amountRaw;
    return Promise.resolve(true);
  }

  readWindow(key: string): Promise<WindowState | null> {
    const state = this.windows.get(key);
    return Promise.resolve(state ? { ...state, entries: [...state.entries] } : null);
  }

  writeWindow(
    key: string,
    expectedRevision: number | null,
    entries: WindowEntry[],
    expiresAt: Date,
  ): Promise<boolean> {
    const current = this.windows.get(key);
    if ((current?.revision ?? null) !== expectedRevision) return Promise.resolve(false);
    this.windows.set(key, { entries: [...entries], revision: (expectedRevision ?? 0) + 1, expiresAt });
    return Promise.resolve(true);
  }

  deleteExpired(now: Date): Promise<number> {
    let deleted = 0;
    for (const [key, counter] of this.sums) {
      if (counter.expiresAt < now && this.sums.delete(key)) deleted++;
    }
    for (const [key, window] of this.windows) {
      if (window.expiresAt < now && this.windows.delete(key)) deleted++;
    }
    return Promise.resolve(deleted);
  }

  used(key: string): bigint {
    return this.sums.get(key)?.used ?? 0n;
  }
}
