interface Held<V> {
  value: V;
  /** When the read that produced it started: its age is counted from there, so it is never understated. */
  readStartedAt: number;
}

/**
 * A value read from the database that many callers ask for and that seldom changes (the emergency state, a
 * wallet's key record): `recent` answers from the last read of the key that started less than `maxAgeMs`
 * ago, or joins the one read in flight for it, so a busy pipeline costs one read per interval instead of one
 * per step. What this process writes itself is known at once (`put`, `forget`): a read that started before
 * such a write still answers its own callers, but is never kept.
 */
export class RecentReads<K, V> {
  private readonly held = new Map<K, Held<V>>();
  private readonly inFlight = new Map<K, Promise<V>>();
  /** Bumped by every local write: reads started in an older generation are not kept. */
  private generation = 0;

  constructor(
    private readonly read: (key: K) => Promise<V>,
    /** Told of every value kept (a read, or a local write). */
    private readonly onHeld?: (key: K, value: V) => void,
  ) {}

  /** Reads now, shares nothing, and keeps the answer unless a local write came in the meantime. */
  async fresh(key: K): Promise<V> {
    const generation = this.generation;
    const readStartedAt = Date.now();
    const value = await this.read(key);
    if (generation === this.generation) this.hold(key, { value, readStartedAt });
    return value;
  }

  /** The value as read at most `maxAgeMs` ago (read start to now), with at most one read in flight per key. */
  recent(key: K, maxAgeMs: number): Promise<V> {
    const held = this.held.get(key);
    if (held && Date.now() - held.readStartedAt < maxAgeMs) return Promise.resolve(held.value);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const started = this.fresh(key).finally(() => {
      if (this.inFlight.get(key) === started) this.inFlight.delete(key);
    });
    this.inFlight.set(key, started);
    return started;
  }

  /** This process wrote `value`: the answer from now on, as if just read. */
  put(key: K, value: V): void {
    this.forget(key);
    this.hold(key, { value, readStartedAt: Date.now() });
  }

  /** This process changed the key: the next answer comes from a read that starts after now. */
  forget(key: K): void {
    this.generation++;
    this.inFlight.delete(key);
    this.held.delete(key);
  }

  private hold(key: K, held: Held<V>): void {
    this.held.set(key, held);
    this.onHeld?.(key, held.value);
  }
}
