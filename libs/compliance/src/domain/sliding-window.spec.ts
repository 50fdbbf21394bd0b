import { admitToWindow, liveEntries, WindowEntry } from './sliding-window';

const MINUTE = 60_000;
const now = new Date('2026-11-25T12:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE);
const entry = (id: string, amountRaw: bigint, minutesAgo: number): WindowEntry => ({
  id,
  amountRaw,
  at: ago(minutesAgo),
});
const limits = { windowMs: 60 * MINUTE, maxCount: 3, maxVolume: 100n };

describe('destination sliding window', () => {
  it('drops entries that left the window', () => {
    const entries = [entry('old', 10n, 60), entry('edge', 10n, 59), entry('new', 10n, 1)];
    expect(liveEntries(entries, now, limits.windowMs).map((e) => e.id)).toEqual(['edge', 'new']);
  });

  it('admits within both limits and prunes what expired', () => {
    const decision = admitToWindow([entry('a', 40n, 90), entry('b', 40n, 10)], entry('c', 50n, 0), limits);
    expect(decision).toMatchObject({ kind: 'admit' });
    if (decision.kind !== 'admit') throw new Error('unreachable');
    expect(decision.entries.map((e) => e.id)).toEqual(['b', 'c']);
    expect(decision.expiresAt).toEqual(new Date(now.getTime() + limits.windowMs));
  });

  it('refuses the payout past maxCount', () => {
    const full = [entry('a', 1n, 5), entry('b', 1n, 4), entry('c', 1n, 3)];
    expect(admitToWindow(full, entry('d', 1n, 0), limits)).toEqual({
      kind: 'exceeded',
      limit: 'destination_velocity_count',
      max: 3n,
      remaining: 0n,
    });
  });

  it('refuses the payout past maxVolume and says how much is left', () => {
    expect(admitToWindow([entry('a', 70n, 5)], entry('b', 31n, 0), limits)).toEqual({
      kind: 'exceeded',
      limit: 'destination_velocity_volume',
      max: 100n,
      remaining: 30n,
    });
    expect(admitToWindow([entry('a', 70n, 5)], entry('b', 30n, 0), limits).kind).toBe('admit');
  });

  it('keeps an entry the same transfer already holds instead of adding it twice', () => {
    expect(admitToWindow([entry('a', 70n, 5)], entry('a', 70n, 0), limits)).toEqual({ kind: 'held' });
  });
});
