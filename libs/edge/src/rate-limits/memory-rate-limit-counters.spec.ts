import { MemoryRateLimitCounters } from './memory-rate-limit-counters';

describe('MemoryRateLimitCounters', () => {
  let counters: MemoryRateLimitCounters;
  const hit = (key = 'caller-a', ttl = 1_000, limit = 3, block = 5_000) =>
    counters.increment(key, ttl, limit, block, 'default');

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    counters = new MemoryRateLimitCounters();
  });
  afterEach(() => {
    counters.stop();
    jest.useRealTimers();
  });

  it('counts a key within its window and starts again after it', async () => {
    await expect(hit()).resolves.toEqual({
      totalHits: 1,
      timeToExpire: 1,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    jest.advanceTimersByTime(400);
    await expect(hit()).resolves.toMatchObject({ totalHits: 2, isBlocked: false });
    await expect(hit('caller-b')).resolves.toMatchObject({ totalHits: 1 });
    jest.advanceTimersByTime(600);
    await expect(hit()).resolves.toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('refuses a key over its limit for the block duration, then starts a fresh window', async () => {
    for (let i = 0; i < 3; i++) await expect(hit()).resolves.toMatchObject({ isBlocked: false });
    await expect(hit()).resolves.toEqual({
      totalHits: 4,
      timeToExpire: 1,
      isBlocked: true,
      timeToBlockExpire: 5,
    });
    // Still refused after its count window ended: the block, not the window, decides.
    jest.advanceTimersByTime(2_500);
    await expect(hit()).resolves.toMatchObject({
      totalHits: 1,
      timeToExpire: 1,
      isBlocked: true,
      timeToBlockExpire: 3,
    });
    jest.advanceTimersByTime(2_500);
    await expect(hit()).resolves.toEqual({
      totalHits: 1,
      timeToExpire: 1,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  });

  it('refuses again at once a caller whose window is still over the limit when its block ends', async () => {
    const hammer = () => hit('hammering', 10_000, 3, 5_000);
    for (let i = 0; i < 4; i++) await hammer();
    for (let second = 1; second <= 4; second++) {
      jest.advanceTimersByTime(1_000);
      await expect(hammer()).resolves.toMatchObject({ isBlocked: true });
    }
    jest.advanceTimersByTime(1_000);
    // As Redis: the block key is gone, the window (10 s) holds 9 hits, so the caller is blocked anew.
    await expect(hammer()).resolves.toEqual({
      totalHits: 9,
      timeToExpire: 5,
      isBlocked: true,
      timeToBlockExpire: 5,
    });
  });

  it('keeps separate counts per throttler for the same key', async () => {
    await counters.increment('caller-a', 1_000, 1, 1_000, 'burst');
    await expect(counters.increment('caller-a', 1_000, 1, 1_000, 'burst')).resolves.toMatchObject({
      isBlocked: true,
    });
    await expect(counters.increment('caller-a', 60_000, 100, 60_000, 'sustained')).resolves.toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('forgets keys whose window and block have ended', async () => {
    await hit('short', 1_000);
    for (let i = 0; i < 4; i++) await hit('blocked', 1_000, 3, 30_000);
    expect(counters.size).toBe(2);
    jest.advanceTimersByTime(10_000);
    expect(counters.size).toBe(1);
    jest.advanceTimersByTime(30_000);
    expect(counters.size).toBe(0);
  });
});
