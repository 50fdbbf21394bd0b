import { AppError, ErrorCode, parseUsdtAmount } from '@app/common';

import { ComplianceDraft } from '../domain/compliance-draft';
import {
  destinationDayKey,
  destinationWindowKey,
  networkDayKey,
  walletDayKey,
  walletMonthKey,
} from '../domain/limit-keys';
import { InMemoryLimitCounters } from '../testing/in-memory-limit-counters';
import { testPolicies } from '../testing/policies';
import { LimitLedger } from './limit-ledger';

const WALLET = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';
const TO = 'TPL66VK2gCXNCD7EJg9pgJRfqcRazjhUZY';
const at = new Date('2026-11-25T10:00:00Z');
const usdt = (value: string) => parseUsdtAmount(value);
const toOf = (i: number) => `TPL66VK2gCXNCD7EJg9pgJRfqcRazjh${String(i).padStart(3, 'A')}`;

function draft(id: string, amount: string, overrides: Partial<ComplianceDraft> = {}): ComplianceDraft {
  return {
    transferId: id,
    kind: 'transfer',
    wallet: WALLET,
    to: TO,
    amountRaw: usdt(amount),
    requestedBy: 'op',
    at,
    ...overrides,
  };
}

async function limitOf(promise: Promise<unknown>): Promise<unknown> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(ErrorCode.LIMIT_EXCEEDED);
  return (err as AppError).details[0];
}

describe('LimitLedger', () => {
  let counters: InMemoryLimitCounters;
  let ledger: LimitLedger;

  beforeEach(() => {
    counters = new InMemoryLimitCounters();
    ledger = new LimitLedger(counters);
  });

  it('reserves every counter and the destination window and returns what it took', async () => {
    const reservations = await ledger.reserve(draft('t1', '12.5'), testPolicies(), 'none');
    expect(reservations).toEqual([
      { counter: walletDayKey(WALLET, at), amountRaw: '12500000' },
      { counter: walletMonthKey(WALLET, at), amountRaw: '12500000' },
      { counter: networkDayKey(at), amountRaw: '12500000' },
      { counter: destinationDayKey(TO, at), amountRaw: '12500000' },
      { counter: destinationWindowKey(TO), amountRaw: '12500000', entry: 't1' },
    ]);
    expect(counters.used(walletDayKey(WALLET, at))).toBe(usdt('12.5'));
  });

  it('refuses above the single limit and the KYC single limit before touching a counter', async () => {
    const policies = testPolicies((doc) => {
      doc.limits.singleMax = '100';
      doc.kyc.levels.none.singleMax = '10';
    });
    expect(await limitOf(ledger.reserve(draft('t1', '100.000001'), policies, 'full'))).toMatchObject({
      limit: 'single',
      value: '100',
    });
    expect(await limitOf(ledger.reserve(draft('t2', '10.5'), policies, 'none'))).toMatchObject({
      limit: 'kyc_single',
      value: '10',
    });
    await expect(ledger.reserve(draft('t3', '10.5'), policies, 'basic')).resolves.toHaveLength(5);
    expect(counters.used(walletDayKey(WALLET, at))).toBe(usdt('10.5'));
  });

  it('gives back what it took when a later counter is full', async () => {
    const policies = testPolicies((doc) => (doc.kyc.levels.none.dailyMax = '15'));
    await ledger.reserve(draft('t1', '10', { wallet: 'TWalletA' }), policies, 'none');
    const detail = await limitOf(ledger.reserve(draft('t2', '10', { wallet: 'TWalletB' }), policies, 'none'));
    expect(detail).toMatchObject({ limit: 'kyc_daily', value: '15', remaining: '5' });
    expect(counters.used(walletDayKey('TWalletB', at))).toBe(0n);
    expect(counters.used(walletMonthKey('TWalletB', at))).toBe(0n);
    expect(counters.used(networkDayKey(at))).toBe(usdt('10'));
  });

  it('gives back the sum counters when the destination window refuses', async () => {
    const policies = testPolicies((doc) => (doc.limits.destinationVelocity.maxCount = 1));
    await ledger.reserve(draft('t1', '1'), policies, 'none');
    expect(await limitOf(ledger.reserve(draft('t2', '1'), policies, 'none'))).toMatchObject({
      limit: 'destination_velocity_count',
      value: '1',
      remaining: '0',
    });
    expect(counters.used(walletDayKey(WALLET, at))).toBe(usdt('1'));
    expect(counters.used(destinationDayKey(TO, at))).toBe(usdt('1'));
  });

  it('never gives back what the same transfer already held before a repeated, failing evaluation', async () => {
    await ledger.reserve(draft('t1', '10'), testPolicies(), 'none');
    // The same transfer evaluated again a day later: the month counter is already its own, the new day's
    // counters are new, and the destination's new daily counter refuses.
    const nextDay = new Date(at.getTime() + 86_400_000);
    const tight = testPolicies((doc) => (doc.kyc.levels.none.dailyMax = '5'));
    await limitOf(ledger.reserve(draft('t1', '10', { at: nextDay }), tight, 'none'));
    expect(counters.used(walletMonthKey(WALLET, at))).toBe(usdt('10'));
    expect(counters.used(walletDayKey(WALLET, at))).toBe(usdt('10'));
    expect(counters.used(walletDayKey(WALLET, nextDay))).toBe(0n);
    expect(counters.used(networkDayKey(nextDay))).toBe(0n);
  });

  it('releases once, however often it is asked', async () => {
    const reservations = await ledger.reserve(draft('t1', '3'), testPolicies(), 'none');
    await ledger.reserve(draft('t2', '4'), testPolicies(), 'none');
    await ledger.release('t1', reservations);
    await ledger.release('t1', reservations);
    expect(counters.used(walletDayKey(WALLET, at))).toBe(usdt('4'));
    expect(counters.windows.get(destinationWindowKey(TO))?.entries.map((e) => e.id)).toEqual(['t2']);
  });

  // Drafts of now: the ledger's occasional clean-up deletes windows whose time is over.
  it('creates a fresh destination window without reading it, and reads one another instance made', async () => {
    let reads = 0;
    const read = counters.readWindow.bind(counters);
    counters.readWindow = (key) => {
      reads++;
      return read(key);
    };
    await ledger.reserve(draft('t1', '1', { at: new Date() }), testPolicies(), 'none');
    expect(reads).toBe(0);
    // Another instance (its own ledger, same counters) pays the same destination: its create fails, it reads.
    const other = new LimitLedger(counters);
    await other.reserve(draft('t2', '1', { at: new Date() }), testPolicies(), 'none');
    expect(reads).toBe(1);
    expect(counters.windows.get(destinationWindowKey(TO))?.entries.map((e) => e.id)).toEqual(['t1', 't2']);
    // This instance saw the window: it reads before writing.
    await ledger.reserve(draft('t3', '1', { at: new Date() }), testPolicies(), 'none');
    expect(reads).toBe(2);
    expect(counters.windows.get(destinationWindowKey(TO))?.entries).toHaveLength(3);
  });

  it('reads the real window before refusing a payout that an empty one would refuse too', async () => {
    const policies = testPolicies((doc) => (doc.limits.destinationVelocity.maxVolume = '5'));
    await ledger.reserve(draft('t1', '4', { at: new Date() }), policies, 'none');
    const other = new LimitLedger(counters);
    expect(
      await limitOf(other.reserve(draft('t2', '6', { at: new Date() }), policies, 'none')),
    ).toMatchObject({
      limit: 'destination_velocity_volume',
      remaining: '1',
    });
  });

  describe('for a batch', () => {
    // Now, not the fixed date above: the ledger's first reservation deletes counters whose period is over.
    const now = new Date();
    const batch = (amounts: string[]) => amounts.map((a, i) => draft(`b${i}`, a, { to: toOf(i), at: now }));
    const shared = [walletDayKey(WALLET, now), walletMonthKey(WALLET, now), networkDayKey(now)];

    it('takes the counters all drafts share in one command, and each draft owns its share', async () => {
      const drafts = batch(['10', '20', '30']);
      const commands: string[][] = [];
      const together = counters.reserveSumsTogether.bind(counters);
      counters.reserveSumsTogether = (requests) => {
        commands.push(requests.map((request) => request.key));
        return together(requests);
      };
      const taken = await ledger.reserveShared(drafts, testPolicies());
      expect([...taken]).toEqual(shared);
      expect(commands).toEqual([shared]);
      for (const key of shared) expect(counters.used(key)).toBe(usdt('60'));

      const held = [];
      for (const d of drafts) held.push(await ledger.reserve(d, testPolicies(), 'none', taken));
      // Shared counters are not added to a second time; the destination's own counter is.
      for (const key of shared) expect(counters.used(key)).toBe(usdt('60'));
      expect(counters.used(destinationDayKey(toOf(1), now))).toBe(usdt('20'));
      expect(held[1].map((r) => r.counter)).toContain(walletDayKey(WALLET, now));

      await ledger.release('b1', held[1]);
      expect(counters.used(walletDayKey(WALLET, now))).toBe(usdt('40'));
    });

    it('leaves a counter the batch does not fit in to the drafts one by one, so the refusal names the item', async () => {
      const policies = testPolicies((doc) => (doc.limits.walletDaily = '50'));
      const drafts = batch(['20', '20', '20']);
      const taken = await ledger.reserveShared(drafts, policies);
      expect(taken.has(walletDayKey(WALLET, now))).toBe(false);
      expect(taken.has(walletMonthKey(WALLET, now))).toBe(true);
      await ledger.reserve(drafts[0], policies, 'none', taken);
      await ledger.reserve(drafts[1], policies, 'none', taken);
      expect(await limitOf(ledger.reserve(drafts[2], policies, 'none', taken))).toMatchObject({
        limit: 'wallet_daily',
      });
      // The refused draft gave back its share of the monthly counter it held through the batch.
      expect(counters.used(walletMonthKey(WALLET, now))).toBe(usdt('40'));
    });

    it('gives back the shares of drafts that never reached reserve', async () => {
      const drafts = batch(['5', '7']);
      const taken = await ledger.reserveShared(drafts, testPolicies());
      await ledger.releaseShared([drafts[1]], taken);
      await ledger.releaseShared([drafts[1]], taken);
      for (const key of shared) expect(counters.used(key)).toBe(usdt('5'));
    });
  });

  describe('single payouts reserving at the same time', () => {
    const now = new Date();
    const singles = (amounts: string[]) => amounts.map((a, i) => draft(`s${i}`, a, { to: toOf(i), at: now }));
    const shared = [walletDayKey(WALLET, now), walletMonthKey(WALLET, now), networkDayKey(now)];

    /** Counts the repository's commands: rounds (one command each) and single-counter updates. */
    function countCommands() {
      const calls = { rounds: 0, counters: 0, one: 0 };
      const together = counters.reserveSumsTogether.bind(counters);
      const one = counters.reserveSum.bind(counters);
      counters.reserveSumsTogether = (requests) => {
        calls.rounds++;
        calls.counters += requests.length;
        return together(requests);
      };
      counters.reserveSum = (request) => {
        calls.one++;
        return one(request);
      };
      return calls;
    }

    it('take all their sum counters in one command; each holds its own amount', async () => {
      const calls = countCommands();
      const drafts = singles(['10', '20', '30', '40']);
      const held = await Promise.all(drafts.map((d) => ledger.reserve(d, testPolicies(), 'none')));
      // The three shared counters with the four together, and each destination's own day counter.
      expect(calls).toEqual({ rounds: 1, counters: 7, one: 0 });
      for (const key of shared) expect(counters.used(key)).toBe(usdt('100'));
      expect(counters.used(destinationDayKey(toOf(2), now))).toBe(usdt('30'));
      expect(held[2]).toContainEqual({
        counter: walletDayKey(WALLET, now),
        amountRaw: usdt('30').toString(),
      });

      await ledger.release('s2', held[2]);
      for (const key of shared) expect(counters.used(key)).toBe(usdt('70'));
    });

    it('are taken one by one when their total does not fit, so only those beyond the limit are refused', async () => {
      const policies = testPolicies((doc) => (doc.limits.walletDaily = '50'));
      const drafts = singles(['20', '20', '20']);
      const outcomes = await Promise.allSettled(drafts.map((d) => ledger.reserve(d, policies, 'none')));
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      const refusal = (outcomes[2] as PromiseRejectedResult).reason as AppError;
      expect(refusal.code).toBe(ErrorCode.LIMIT_EXCEEDED);
      expect(refusal.details[0]).toMatchObject({ limit: 'wallet_daily' });
      expect(counters.used(walletDayKey(WALLET, now))).toBe(usdt('40'));
      // The refused one gave back the counters it had taken before the full one.
      expect(counters.used(walletMonthKey(WALLET, now))).toBe(usdt('40'));
    });

    it('fail alone when their counter update fails, and the others stand', async () => {
      const one = counters.reserveSum.bind(counters);
      counters.reserveSumsTogether = (requests) => Promise.resolve(requests.map(() => false));
      counters.reserveSum = (request) =>
        request.amountRaw === usdt('13') ? Promise.reject(new Error('database gone')) : one(request);
      const outcomes = await Promise.allSettled(
        singles(['10', '13', '20']).map((d) => ledger.reserve(d, testPolicies(), 'none')),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain('database gone');
      expect(counters.used(walletDayKey(WALLET, now))).toBe(usdt('30'));
    });
  });
});
