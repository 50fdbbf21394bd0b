import type { PayoutHistory } from '../persistence/payout-history';
import { RecentVelocity } from './recent-velocity';

const scope = { kind: 'transfer' as const, excludeId: 'draft' };
const since = new Date('2026-12-04T10:00:00Z');

describe('RecentVelocity', () => {
  let reads: number;
  let answer: () => Promise<number>;
  const history = {
    countFrom: () => {
      reads++;
      return answer();
    },
  } as unknown as PayoutHistory;

  beforeEach(() => {
    reads = 0;
    answer = () => Promise.resolve(5);
    jest.useFakeTimers({ now: new Date('2026-12-04T10:10:00Z'), doNotFake: ['setImmediate'] });
  });
  afterEach(() => jest.useRealTimers());

  it('reads a wallet once per two seconds and counts the drafts evaluated since, up to atMost', async () => {
    const velocity = new RecentVelocity(history);
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await velocity.countFrom('TWallet', since, scope, 7));
    expect(counts).toEqual([5, 6, 7, 7]);
    expect(reads).toBe(1);
    expect(await velocity.countFrom('TOther', since, scope, 7)).toBe(5);
    expect(reads).toBe(2);

    jest.advanceTimersByTime(2_001);
    expect(await velocity.countFrom('TWallet', since, scope, 7)).toBe(5);
    expect(reads).toBe(3);
  });

  it('reads again after a failed read', async () => {
    const velocity = new RecentVelocity(history);
    answer = () => Promise.reject(new Error('database away'));
    await expect(velocity.countFrom('TWallet', since, scope, 7)).rejects.toThrow('database away');
    answer = () => Promise.resolve(2);
    expect(await velocity.countFrom('TWallet', since, scope, 7)).toBe(2);
    expect(reads).toBe(2);
  });
});
