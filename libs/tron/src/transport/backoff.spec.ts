import { backoffDelay, BackoffOptions } from './backoff';

const exponential: BackoffOptions = { policy: 'exponential_backoff', baseMs: 100, maxMs: 1000 };
const max = () => 1;
const min = () => 0;

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, exponential, undefined, max))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('jitters between half and all of the ceiling', () => {
    expect(backoffDelay(2, exponential, undefined, min)).toBe(200);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(2, exponential);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });

  it('grows linearly under the linear policy', () => {
    const linear: BackoffOptions = { ...exponential, policy: 'linear' };
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, linear, undefined, max))).toEqual([100, 200, 300, 400]);
  });

  it("waits at least the server's Retry-After, capped", () => {
    expect(backoffDelay(0, exponential, 700, min)).toBe(700);
    expect(backoffDelay(0, exponential, 60_000, min)).toBe(1000);
  });
});
