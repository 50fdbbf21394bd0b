/**
 * The destination velocity limit: how many payouts and how much volume one destination may receive within a
 * sliding window. The window is a list of entries in one document; these pure functions decide what the
 * next version of that list is, and the repository writes it with compare-and-set.
 */

export interface WindowEntry {
  /** The transfer holding this entry. */
  id: string;
  amountRaw: bigint;
  at: Date;
}

export interface WindowLimits {
  windowMs: number;
  maxCount: number;
  maxVolume: bigint;
}

export type WindowDecision =
  | { kind: 'held' }
  | { kind: 'admit'; entries: WindowEntry[]; expiresAt: Date }
  | {
      kind: 'exceeded';
      limit: 'destination_velocity_count' | 'destination_velocity_volume';
      max: bigint;
      remaining: bigint;
    };

/** Entries still inside the window that ends at `now`. */
export function liveEntries(entries: readonly WindowEntry[], now: Date, windowMs: number): WindowEntry[] {
  const since = now.getTime() - windowMs;
  return entries.filter((entry) => entry.at.getTime() > since);
}

/** The document may be deleted once its newest entry has left the window. */
export function windowExpiry(entries: readonly WindowEntry[], windowMs: number, fallback: Date): Date {
  const newest = entries.reduce((max, entry) => Math.max(max, entry.at.getTime()), fallback.getTime());
  return new Date(newest + windowMs);
}

/**
 * Admits `candidate` into the window (dropping entries that left it) if both the count and the volume stay
 * within their limits; an entry the same transfer already holds is kept as it is.
 */
export function admitToWindow(
  entries: readonly WindowEntry[],
  candidate: WindowEntry,
  limits: WindowLimits,
): WindowDecision {
  if (entries.some((entry) => entry.id === candidate.id)) return { kind: 'held' };
  const live = liveEntries(entries, candidate.at, limits.windowMs);
  if (live.length + 1 > limits.maxCount) {
    return {
      kind: 'exceeded',
      limit: 'destination_velocity_count',
      max: BigInt(limits.maxCount),
      remaining: BigInt(Math.max(0, limits.maxCount - live.length)),
    };
  }
  const volume = live.reduce((sum, entry) => sum + entry.amountRaw, 0n);
  if (volume + candidate.amountRaw > limits.maxVolume) {
    const remaining = limits.maxVolume - volume;
    return {
      kind: 'exceeded',
      limit: 'destination_velocity_volume',
      max: limits.maxVolume,
      remaining: remaining > 0n ? remaining : 0n,
    };
  }
  const next = [...live, candidate];
  return { kind: 'admit', entries: next, expiresAt: windowExpiry(next, limits.windowMs, candidate.at) };
}
