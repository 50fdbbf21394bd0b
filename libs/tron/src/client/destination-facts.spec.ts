import { createHash } from 'node:crypto';
import { TronWeb } from 'tronweb';

import type { TronClient } from './tron-client';
import { BLACKLIST_LINGER_MS, BLACKLIST_QUIET_MS, DestinationFacts } from './destination-facts';

describe('DestinationFacts', () => {
  let calls: string[];
  let fail: boolean;
  const tron = {
    batchesBlacklistChecks: false,
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

  it('prefetches nothing without a Multicall (the item checks ask a few at a time)', async () => {
    const facts = new DestinationFacts(tron);
    await facts.prefetchBlacklisted(['TSome', 'TBlocked']);
    expect(calls).toEqual([]);
  });

  it('keeps no failed answer', async () => {
    const facts = new DestinationFacts(tron);
    fail = true;
    await expect(facts.isBlacklisted('TSome')).rejects.toThrow('node away');
    fail = false;
    expect(await facts.isBlacklisted('TSome')).toBe(false);
    expect(calls).toEqual(['blacklisted TSome', 'blacklisted TSome']);
  });

  describe('with a Multicall configured', () => {
    let batches: string[][];
    /** A valid address per name (only well-formed addresses share a call). */
    const at = (name: string) =>
      TronWeb.address.fromHex(`41${createHash('sha256').update(name).digest('hex').slice(0, 40)}`);
    const [one, two, blocked] = [at('one'), at('two'), at('blocked')];
    const multicall = {
      batchesBlacklistChecks: true,
      isBlacklisted: (address: string) => Promise.reject(new Error(`asked alone about ${address}`)),
      blacklistedAmong: (addresses: readonly string[]) => {
        batches.push([...addresses]);
        if (fail) return Promise.reject(new Error('node away'));
        return Promise.resolve(addresses.map((address) => address === blocked));
      },
    } as unknown as TronClient;

    beforeEach(() => {
      batches = [];
    });

    it('sends a question after a quiet moment at once, and lets a stream of them share calls', async () => {
      const facts = new DestinationFacts(multicall);
      const alone = facts.isBlacklisted(one);
      jest.advanceTimersByTime(0);
      expect(await alone).toBe(false);
      expect(batches).toEqual([[one]]);

      // Questions now keep coming: each waits up to the linger for the others.
      jest.advanceTimersByTime(10);
      const first = facts.isBlacklisted(blocked);
      jest.advanceTimersByTime(BLACKLIST_LINGER_MS - 1);
      const second = facts.isBlacklisted(two);
      const again = facts.isBlacklisted(blocked);
      expect(batches).toHaveLength(1);
      jest.advanceTimersByTime(1);
      expect(await Promise.all([first, second, again])).toEqual([true, false, true]);
      expect(batches).toEqual([[one], [blocked, two]]);

      // The allowed answers are kept; the refusal is asked again.
      const later = [facts.isBlacklisted(one), facts.isBlacklisted(two), facts.isBlacklisted(blocked)];
      jest.advanceTimersByTime(BLACKLIST_LINGER_MS);
      expect(await Promise.all(later)).toEqual([false, false, true]);
      expect(batches).toEqual([[one], [blocked, two], [blocked]]);

      // After a quiet moment, no linger again.
      jest.advanceTimersByTime(BLACKLIST_QUIET_MS);
      const quiet = facts.isBlacklisted(at('three'));
      jest.advanceTimersByTime(0);
      expect(await quiet).toBe(false);
      expect(batches).toHaveLength(4);
    });

    it('sends at once when a hundred questions wait, and a batch prefetch leaves its answers kept', async () => {
      const facts = new DestinationFacts(multicall);
      const addresses = Array.from({ length: 250 }, (_, i) => at(`payee ${i}`));
      const prefetched = facts.prefetchBlacklisted([...addresses, ...addresses]);
      expect(batches.map((batch) => batch.length)).toEqual([100, 100]);
      jest.advanceTimersByTime(BLACKLIST_LINGER_MS);
      await prefetched;
      expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
      expect(await facts.isBlacklisted(addresses[249])).toBe(false);
      expect(batches).toHaveLength(3);
    });

    it('fails every question of a failed call and keeps none of them', async () => {
      const facts = new DestinationFacts(multicall);
      fail = true;
      const both = [facts.isBlacklisted(one), facts.isBlacklisted(two)];
      jest.advanceTimersByTime(BLACKLIST_LINGER_MS);
      for (const answer of both) await expect(answer).rejects.toThrow('node away');
      fail = false;
      const asked = facts.isBlacklisted(two);
      jest.advanceTimersByTime(BLACKLIST_LINGER_MS);
      expect(await asked).toBe(false);
      expect(batches).toEqual([[one, two], [two]]);
    });

    it('asks about a malformed address on its own, so that it fails no other question', async () => {
      const facts = new DestinationFacts(multicall);
      const fine = facts.isBlacklisted(one);
      await expect(facts.isBlacklisted('TNotAnAddress')).rejects.toThrow('asked alone about TNotAnAddress');
      jest.advanceTimersByTime(BLACKLIST_LINGER_MS);
      expect(await fine).toBe(false);
      expect(batches).toEqual([[one]]);
    });
  });
});
