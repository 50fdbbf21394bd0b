import DataLoader from 'dataloader';

/** Calls answered by one round at most; the rest wait for the next. */
const DEFAULT_MAX_ROUND = 500;

/**
 * One kind of call made by concurrent requests (a payout's idempotency lookup, its destination's screening
 * entries, a reservation on a shared limit counter), answered in rounds: a call made while no round is in
 * flight goes at once (with whatever else the same tick asked); calls made while a round is in flight wait for
 * it to end and then go together as the next round. So at a quiet time nothing waits, and under load one
 * database command answers everything that arrived during the one before (what databases call group
 * commit). Nothing is cached: every call is answered by a round that started after it was made, so no answer
 * is older than its question.
 *
 * `answer` gets the calls of one round in order (repeats included) and returns one result per call, or an
 * Error for a call that failed on its own; a throw fails the whole round.
 */
export class GroupedCalls<K, V> {
  private readonly loader: DataLoader<K, V>;
  private inFlight = false;
  /** Rounds formed and not started, oldest first: each starts when the one before ends. */
  private readonly formed: Array<() => void> = [];

  constructor(
    answer: (calls: readonly K[]) => Promise<ReadonlyArray<V | Error>>,
    maxRound = DEFAULT_MAX_ROUND,
  ) {
    this.loader = new DataLoader<K, V>((calls) => this.round(calls, answer), {
      cache: false,
      maxBatchSize: maxRound,
      batchScheduleFn: (start) => this.schedule(start),
    });
  }

  call(key: K): Promise<V> {
    return this.loader.load(key);
  }

  private schedule(start: () => void): void {
    this.formed.push(start);
    // Idle: the round starts after this tick, so the calls of the same moment join it.
    if (!this.inFlight && this.formed.length === 1) setImmediate(() => this.startNext());
  }

  private startNext(): void {
    if (this.inFlight) return;
    const start = this.formed.shift();
    if (!start) return;
    this.inFlight = true;
    start();
  }

  private async round(
    calls: readonly K[],
    answer: (calls: readonly K[]) => Promise<ReadonlyArray<V | Error>>,
  ): Promise<ReadonlyArray<V | Error>> {
    try {
      return await answer(calls);
    } finally {
      this.inFlight = false;
      this.startNext();
    }
  }
}
