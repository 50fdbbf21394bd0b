import { Clock } from './clock';
import { TokenBucket } from './token-bucket';

/** A clock whose sleep advances time at once, recording how long each caller waited. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('TokenBucket', () => {
  it('lets a burst of `capacity` requests through without waiting', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(5, 5, clock);
    for (let i = 0; i < 5; i++) await bucket.acquire();
    expect(clock.sleeps).toEqual([]);
  });

  it('then spaces requests at the configured rate', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(10, 1, clock);
    await bucket.acquire();
    await bucket.acquire();
    await bucket.acquire();
    expect(clock.sleeps).toEqual([100, 100]);
  });

  it('serves concurrent waiters in arrival order', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(2, 1, clock);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => bucket.acquire().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
    expect(clock.sleeps).toEqual([500, 500]);
  });

  it('refills while idle, up to its capacity only', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(10, 2, clock);
    await bucket.acquire();
    await bucket.acquire();
    await clock.sleep(60_000);
    clock.sleeps.length = 0;
    await bucket.acquire();
    await bucket.acquire();
    await bucket.acquire();
    expect(clock.sleeps).toEqual([100]);
  });

  it('does not limit at all with a rate of 0', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(0, 1, clock);
    for (let i = 0; i < 100; i++) await bucket.acquire();
    expect(clock.sleeps).toEqual([]);
  });
});
