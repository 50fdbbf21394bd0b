import type { TronClient } from './tron-client';
import { DestinationFacts } from './destination-facts';

describe('DestinationFacts', () => {
  let calls: string[];
  let fail: boolean;
  const tron = {
    isBlacklisted: (address: string) => {
      calls.push(`blacklisted ${address}`);
      return fail ? Promise.reject(new Error('node away')) : Promise.resolve(address === 'TBlocked');
    },
  } as unknown as TronClient;

  beforeEach(() => {
    calls = [];
    fail = false;
    jest.useFakeTimers({ now: new Date('2026-12-04T10:00:00Z') });
  });
  afterEach(() => jest.useRealTimers());

  it('keeps an answer that allows for a minute, asks again one that refuses, and shares a question asked at once', async () => {
    const facts = new DestinationFacts(tron);
    const [a, b] = await Promise.all([facts.isBlacklisted('TSome'), facts.isBlacklisted('TSome')]);
    expect([a, b]).toEqual([false, false]);
    expect(await facts.isBlacklisted('TBlocked')).toBe(true);
    expect(calls).toEqual(['blacklisted TSome', 'blacklisted TBlocked']);

    jest.advanceTimersByTime(59_000);
    expect(await facts.isBlacklisted('TSome')).toBe(false);
    expect(await facts.isBlacklisted('TBlocked')).toBe(true);
    expect(calls.slice(2)).toEqual(['blacklisted TBlocked']);
    jest.advanceTimersByTime(1_001);
    await facts.isBlacklisted('TSome');
    expect(calls.slice(3)).toEqual(['blacklisted TSome']);
  });

  it('keeps no failed answer', async () => {
    const facts = new DestinationFacts(tron);
    fail = true;
    await expect(facts.isBlacklisted('TSome')).rejects.toThrow('node away');
    fail = false;
    expect(await facts.isBlacklisted('TSome')).toBe(false);
    expect(calls).toEqual(['blacklisted TSome', 'blacklisted TSome']);
  });
});
