import request from 'supertest';

import { ErrorCode, parseUsdtAmount } from '@app/common';
import type { Policies } from '@app/policies';

import { freshAddress } from '../support/payment-stack';
import {
  API,
  ComplianceStack,
  counter,
  draft,
  refusal,
  startComplianceStack,
  usdt,
} from './compliance-stack';

const day = (at: Date) => at.toISOString().slice(0, 10);
const month = (at: Date) => at.toISOString().slice(0, 7);

/** Policies with overrides, as a run-time change would give them. */
function withLimits(policies: Policies, limits: Partial<Policies['limits']>): Policies {
  return { ...policies, limits: { ...policies.limits, ...limits } };
}

describe('compliance limits: atomic counters on the embedded engine (real app)', () => {
  let stack: ComplianceStack;
  /** The drafts the first test let through, released by the second. */
  let passedIds: string[] = [];

  beforeAll(async () => {
    stack = await startComplianceStack((doc) => {
      doc.limits.walletDaily = '50';
      doc.kyc.levels.none = { singleMax: '5', dailyMax: '8' };
      doc.kyc.levels.basic = { singleMax: '100', dailyMax: '150' };
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('lets exactly 50 of 200 concurrent 1 USDT payouts through a 50 USDT wallet day, and holds nothing for the others', async () => {
    // An expired counter from long ago: the ledger's occasional clean-up deletes it (no TTL index).
    const stale = `wallet-day:${stack.hotWallet}:2020-01-01`;
    await stack.connection
      .collection<{ _id: string; [field: string]: unknown }>('limit_counters')
      .insertOne({ _id: stale, used: 5n, holders: ['old'], expiresAt: new Date('2020-01-02T00:00:00Z') });

    const policies = await stack.policies();
    const drafts = Array.from({ length: 200 }, () => draft(stack.hotWallet, usdt(1)));
    const results = await Promise.allSettled(drafts.map((d) => stack.check.evaluate(d, policies)));

    const passed = results.filter((r) => r.status === 'fulfilled');
    passedIds = drafts.filter((_, i) => results[i].status === 'fulfilled').map((d) => d.transferId);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(passed).toHaveLength(50);
    expect(refused).toHaveLength(150);
    for (const { reason } of refused) {
      expect(reason).toMatchObject({
        code: ErrorCode.LIMIT_EXCEEDED,
        message: expect.stringMatching(/daily limit of the hot wallet/i),
        details: [
          expect.objectContaining({ field: 'limit', limit: 'wallet_daily', value: '50', remaining: '0' }),
        ],
      });
    }

    const at = drafts[0].at;
    const walletDay = await counter(stack, `wallet-day:${stack.hotWallet}:${day(at)}`);
    expect(walletDay?.used).toBe(usdt(50));
    // A sum and nothing else: the document does not grow with the payouts it counts.
    expect(Object.keys(walletDay ?? {}).sort()).toEqual(['_id', 'expiresAt', 'used']);
    // The refused drafts took nothing anywhere: every other counter holds exactly the 50 that passed.
    expect((await counter(stack, `wallet-month:${stack.hotWallet}:${month(at)}`))?.used).toBe(usdt(50));
    expect((await counter(stack, `network-day:${day(at)}`))?.used).toBe(usdt(50));
    const windows = await stack.connection
      .collection<{ _id: string }>('limit_counters')
      .countDocuments({ _id: { $regex: '^destination-window:' } });
    expect(windows).toBe(50);

    await waitFor(async () => (await counter(stack, stale)) === null);
  });

  it('fits exactly 10 more after releasing 10, and a repeated release gives nothing back twice', async () => {
    const policies = await stack.policies();
    const at = new Date();
    const key = `wallet-day:${stack.hotWallet}:${day(at)}`;
    expect(passedIds).toHaveLength(50);
    const toRelease = passedIds.slice(0, 10);
    const reservations = [{ counter: key, amountRaw: usdt(1).toString() }];

    // Each released twice at once, then again: the release marker lets exactly one of them give back.
    await Promise.all([...toRelease, ...toRelease].map((id) => stack.check.release(id, reservations)));
    expect((await counter(stack, key))?.used).toBe(usdt(40));
    await Promise.all(toRelease.map((id) => stack.check.release(id, reservations)));
    expect((await counter(stack, key))?.used).toBe(usdt(40));

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => stack.check.evaluate(draft(stack.hotWallet, usdt(1)), policies)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect((await counter(stack, key))?.used).toBe(usdt(50));
  });

  it('gives back the counters already taken when a later one refuses (network day)', async () => {
    const policies = await stack.policies();
    const at = new Date();
    const used = (await counter(stack, `network-day:${day(at)}`))?.used ?? 0n;
    const tight = withLimits(policies, { networkDaily: used + usdt(1) });
    const wallet = freshAddress();

    const err = await refusal(stack.check.evaluate(draft(wallet, usdt(2), { at }), tight));
    expect(err.code).toBe(ErrorCode.LIMIT_EXCEEDED);
    expect(err.details).toEqual([expect.objectContaining({ limit: 'network_daily', remaining: '1' })]);
    // Wallet day and month were reserved first, then given back.
    expect(await counter(stack, `wallet-day:${wallet}:${day(at)}`)).toMatchObject({ used: 0n });
    expect(await counter(stack, `wallet-month:${wallet}:${month(at)}`)).toMatchObject({ used: 0n });
    expect((await counter(stack, `network-day:${day(at)}`))?.used).toBe(used);
  });

  it('takes the shared counters of a batch in one update each on the engine, item by item when it does not fit', async () => {
    const policies = await stack.policies();
    const at = new Date();
    const wallet = freshAddress();
    const dayKey = `wallet-day:${wallet}:${day(at)}`;
    const monthKey = `wallet-month:${wallet}:${month(at)}`;
    // The KYC level `none` caps each destination's day at 8: 3 + 4 + 5 fits every destination.
    const drafts = [3, 4, 5].map((whole) => draft(wallet, usdt(whole), { at }));
    const prepared = await stack.check.prepareBatch(drafts, policies);
    expect([...prepared.sharedLimits].sort()).toEqual([dayKey, monthKey, `network-day:${day(at)}`].sort());
    expect(await counter(stack, dayKey)).toMatchObject({ used: usdt(12) });
    const outcomes = await Promise.all(drafts.map((d) => stack.check.evaluate(d, policies, prepared)));
    expect((await counter(stack, dayKey))?.used).toBe(usdt(12));
    // Each item owns its share: releasing one gives back exactly its amount, once.
    await stack.check.release(drafts[1].transferId, outcomes[1].reservations);
    await stack.check.release(drafts[1].transferId, outcomes[1].reservations);
    expect((await counter(stack, dayKey))?.used).toBe(usdt(8));

    // 61 more does not fit in the 42 left of the day as a whole: the day is left to the items, the third is
    // refused by name, and the month's share of the refused item and of the one never evaluated goes back.
    const big = [20, 20, 20, 1].map((whole) => draft(wallet, usdt(whole), { at, to: freshAddress() }));
    const roomy = { ...policies, kyc: { ...policies.kyc, none: policies.kyc.basic } };
    const second = await stack.check.prepareBatch(big, roomy);
    expect(second.sharedLimits.has(dayKey)).toBe(false);
    expect(second.sharedLimits.has(monthKey)).toBe(true);
    await stack.check.evaluate(big[0], roomy, second);
    await stack.check.evaluate(big[1], roomy, second);
    const err = await refusal(stack.check.evaluate(big[2], roomy, second));
    expect(err.details).toEqual([expect.objectContaining({ limit: 'wallet_daily', remaining: '2' })]);
    await stack.check.abandon(second, [big[2], big[3]]);
    expect((await counter(stack, dayKey))?.used).toBe(usdt(48));
    expect((await counter(stack, monthKey))?.used).toBe(usdt(48));
  });

  it('refuses above the single limit before reserving anything', async () => {
    const policies = withLimits(await stack.policies(), { singleMax: usdt(3) });
    const wallet = freshAddress();
    const err = await refusal(stack.check.evaluate(draft(wallet, usdt(3) + 1n), policies));
    expect(err.details).toEqual([expect.objectContaining({ limit: 'single', value: '3' })]);
    expect(await counter(stack, `wallet-day:${wallet}:${day(new Date())}`)).toBeNull();
  });

  it('applies the KYC level set through the API: single and daily limits of `none`, then `basic`', async () => {
    const wallet = freshAddress();
    // The wallet day (50 in this suite) is not what is under test here.
    const policies = withLimits(await stack.policies(), { walletDaily: usdt(1000) });
    const to = freshAddress();

    // Unknown address: level none, single max 5.
    const tooBig = await refusal(stack.check.evaluate(draft(wallet, usdt(6), { to }), policies));
    expect(tooBig.details).toEqual([
      expect.objectContaining({ limit: 'kyc_single', value: '5', remaining: '5' }),
    ]);
    const small = await stack.check.evaluate(draft(wallet, usdt(4), { to }), policies);
    expect(small.kycLevel).toBe('none');
    await stack.check.evaluate(draft(wallet, usdt(4), { to }), policies);
    // Daily max 8 for `none`: 4 + 4 used.
    const daily = await refusal(
      stack.check.evaluate(draft(wallet, parseUsdtAmount('0.5'), { to }), policies),
    );
    expect(daily.details).toEqual([
      expect.objectContaining({ limit: 'kyc_daily', value: '8', remaining: '0' }),
    ]);

    await request(stack.app.url)
      .put(`${API}/compliance/kyc/${to}`)
      .set(stack.admin)
      .send({ level: 'basic', note: 'documents checked' })
      .expect(200);
    const basic = await stack.check.evaluate(draft(wallet, usdt(40), { to }), policies);
    expect(basic.kycLevel).toBe('basic');
    // Single max 100 and daily max 150 for `basic`: 8 + 40 + 100 used, 2 left.
    await stack.check.evaluate(draft(wallet, usdt(100), { to }), policies);
    const basicDaily = await refusal(stack.check.evaluate(draft(wallet, usdt(3), { to }), policies));
    expect(basicDaily.details).toEqual([
      expect.objectContaining({ limit: 'kyc_daily', value: '150', remaining: '2' }),
    ]);
  });

  it('limits the count and the volume a destination receives in the sliding window', async () => {
    const base = await stack.policies();
    const policies = withLimits(base, {
      destinationVelocity: { windowMs: 60 * 60_000, maxCount: 3, maxVolume: usdt(5) },
    });
    const to = freshAddress();
    const accepted = [];
    for (let i = 0; i < 3; i++)
      accepted.push(await stack.check.evaluate(draft(freshAddress(), usdt(1), { to }), policies));
    const byCount = await refusal(stack.check.evaluate(draft(freshAddress(), usdt(1), { to }), policies));
    expect(byCount.details).toEqual([
      expect.objectContaining({ limit: 'destination_velocity_count', value: '3', remaining: '0' }),
    ]);

    // Releasing one makes room for one; the volume limit then bites at 5 USDT.
    const first = accepted[0].reservations;
    const transferId = first.find((r) => r.entry)?.entry as string;
    await stack.check.release(transferId, first);
    await stack.check.release(transferId, first);
    expect((await counter(stack, `destination-window:${to}`))?.entries).toHaveLength(2);
    const byVolume = await refusal(stack.check.evaluate(draft(freshAddress(), usdt(4), { to }), policies));
    expect(byVolume.details).toEqual([
      expect.objectContaining({ limit: 'destination_velocity_volume', value: '5', remaining: '3' }),
    ]);
    await stack.check.evaluate(draft(freshAddress(), usdt(3), { to }), policies);
  });

  it('keeps the destination window exact under concurrent payouts to one address', async () => {
    const base = withLimits(await stack.policies(), {
      destinationVelocity: { windowMs: 60 * 60_000, maxCount: 20, maxVolume: usdt(1000) },
    });
    // The KYC day of `none` (8 in this suite) is not what is under test here.
    const policies = { ...base, kyc: { ...base.kyc, none: { singleMax: usdt(5), dailyMax: usdt(1000) } } };
    const to = freshAddress();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        stack.check.evaluate(draft(freshAddress(), usdt(1), { to }), policies),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    expect((await counter(stack, `destination-window:${to}`))?.entries).toHaveLength(20);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
