import { WindowEntry } from '../domain/sliding-window';
import {
  LimitCounterRepository,
  SumReservationRequest,
  SumReservationResult,
  WindowState,
} from '../persistence/limit-counter.repository';

/** The counter repository's contract in memory, for unit specs of the ledger. */
export class InMemoryLimitCounters extends LimitCounterRepository {
  readonly sums = new Map<string, { used: bigint; expiresAt: Date }>();
  readonly windows = new Map<string, WindowState>();
  readonly released = new Map<string, Date>();

  reserveSum(request: SumReservationRequest): Promise<SumReservationResult> {
    const used = this.sums.get(request.key)?.used ?? 0n;
    if (used + request.amountRaw > request.max) return Promise.resolve({ status: 'exceeded', used });
    this.add(request);
    return Promise.resolve({ status: 'reserved' });
  }

  reserveSumsTogether(requests: readonly SumReservationRequest[]): Promise<boolean[]> {
    return Promise.resolve(
      requests.map((request) => {
        const used = this.sums.get(request.key)?.used ?? 0n;
        if (used + request.amountRaw > request.max) return false;
        this.add(request);
        return true;
      }),
    );
  }

  takeBack(key: string, amountRaw: bigint): Promise<void> {
    const counter = this.sums.get(key);
    if (counter) counter.used -= amountRaw;
    return Promise.resolve();
  }

  markReleased(transferId: string, expiresAt: Date): Promise<boolean> {
    if (this.released.has(transferId)) return Promise.resolve(false);
    this.released.set(transferId, expiresAt);
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
    for (const [id, expiresAt] of this.released) {
      if (expiresAt < now && this.released.delete(id)) deleted++;
    }
    return Promise.resolve(deleted);
  }

  used(key: string): bigint {
    return this.sums.get(key)?.used ?? 0n;
  }

  private add({ key, amountRaw, expiresAt }: SumReservationRequest): void {
    const counter = this.sums.get(key) ?? { used: 0n, expiresAt };
    counter.used += amountRaw;
    this.sums.set(key, counter);
  }
}
