import { Clock, systemClock } from './clock';

/**
 * Client-side rate limiter: a token bucket refilled at `ratePerSecond`, holding at most `capacity` tokens
 * (one second's worth by default, so a quiet client may burst that much). TronGrid answers 429/403 and then
 * pauses a key that pushes past its QPS; waiting here is cheaper than being paused there.
 * Waiters are served in arrival order. A rate of 0 disables the limit.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity = Math.max(1, ratePerSecond),
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = capacity;
    this.last = clock.now();
  }

  /** Resolves when the caller may send one request. */
  acquire(): Promise<void> {
    if (this.ratePerSecond <= 0) return Promise.resolve();
    const turn = this.tail.then(() => this.take());
    // A rejected turn must not block everyone behind it.
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
      this.refill();
    }
    // After the wait the bucket holds at least one token (the sleep is rounded up).
    this.tokens = Math.max(0, this.tokens - 1);
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
  }
}
