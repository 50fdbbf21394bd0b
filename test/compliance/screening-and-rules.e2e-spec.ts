import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';

import { ErrorCode, parseUsdtAmount } from '@app/common';
import type { Policies } from '@app/policies';

import { dbCommands, freshAddress, nodeCalls } from '../support/payment-stack';
import { shippedPolicies, singleAdminPolicyChanges } from '../support/policy-file';
import {
  API,
  ComplianceStack,
  counter,
  draft,
  refusal,
  startComplianceStack,
  usdt,
} from './compliance-stack';

const API_KEY = 'aml-provider-key-0123456789';

type ProviderMode = 'normal' | 'slow' | 'error';

/** A local AML provider: flags the addresses in `flagged`, or is slow or broken on demand. */
async function startProvider() {
  const state = {
    mode: 'normal' as ProviderMode,
    flagged: new Set<string>(),
    calls: [] as Array<Record<string, unknown>>,
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw) as { address: string };
      state.calls.push({ ...body, authorization: req.headers.authorization });
      const answer = (status: number, payload: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (state.mode === 'slow') setTimeout(() => answer(200, { blocked: false }), 2_000);
      else if (state.mode === 'error') answer(500, { error: 'down' });
      else if (state.flagged.has(body.address))
        answer(200, { blocked: true, risk: 'severe', reason: 'darknet market' });
      else answer(200, { blocked: false, risk: 'low' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/screen` };
}

describe('compliance screening and monitoring rules (real app, devnet, local AML provider)', () => {
  let stack: ComplianceStack;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let server: Server;

  const withScreening = (policies: Policies, screening: Partial<Policies['screening']>): Policies => ({
    ...policies,
    screening: { ...policies.screening, ...screening },
  });
  const lastAudit = () => stack.audited.filter((entry) => entry.action === 'compliance.blocked').at(-1);

  beforeAll(async () => {
    provider = await startProvider();
    server = provider.server;
    stack = await startComplianceStack(
      (doc) => {
        doc.screening.provider = { enabled: true, timeoutMs: 300, onError: 'fail_closed' };
      },
      {
        env: {
          AML_PROVIDER_URL: provider.url,
          AML_PROVIDER_API_KEY: API_KEY,
          MONGODB_COMMAND_METRICS: 'true',
        },
      },
    );
  });

  afterAll(async () => {
    await stack?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  beforeEach(() => {
    provider.state.mode = 'normal';
    provider.state.calls.length = 0;
  });

  async function expectBlocked(outcome: Promise<unknown>, check: string, transferId: string, to: string) {
    const err = await refusal(outcome as never);
    expect(err).toMatchObject({
      code: ErrorCode.COMPLIANCE_BLOCKED,
      message: 'Blocked by compliance screening',
      details: [],
    });
    expect(lastAudit()).toMatchObject({
      action: 'compliance.blocked',
      subject: { type: 'transfer', id: transferId },
      details: { check, to, reason: expect.any(String) },
    });
    return lastAudit()?.details?.reason as string;
  }

  it('screens a clean destination with the provider and lets it through', async () => {
    const d = draft(stack.hotWallet, usdt(12));
    const outcome = await stack.check.evaluate(d, await stack.policies());
    expect(outcome).toMatchObject({ kycLevel: 'none', hits: [], holdReasons: [] });
    expect(outcome.reservations).toHaveLength(5);
    expect(provider.state.calls).toEqual([
      { address: d.to, amount: '12', asset: 'USDT', network: 'private', authorization: `Bearer ${API_KEY}` },
    ]);
  });

  it('blocks an address put on the blocklist through the API, reserving nothing, until it is removed', async () => {
    const to = freshAddress();
    await request(stack.app.url)
      .post(`${API}/compliance/screening`)
      .set(stack.admin)
      .send({ list: 'block', entries: [{ address: to, reason: 'fraud case 77' }] })
      .expect(200);
    const wallet = freshAddress();
    const d = draft(wallet, usdt(1), { to });
    const reason = await expectBlocked(
      stack.check.evaluate(d, await stack.policies()),
      'blocklist',
      d.transferId,
      to,
    );
    expect(reason).toContain('fraud case 77');
    expect(provider.state.calls).toHaveLength(0);
    expect(await counter(stack, `wallet-day:${wallet}:${d.at.toISOString().slice(0, 10)}`)).toBeNull();

    await request(stack.app.url)
      .delete(`${API}/compliance/screening/block/${to}`)
      .set(stack.admin)
      .expect(200);
    await stack.check.evaluate(draft(wallet, usdt(1), { to }), await stack.policies());
  });

  it('blocks an address the USDT contract blacklisted on the devnet, unless the policy turns that check off', async () => {
    const to = freshAddress();
    await stack.devnet.setBlacklisted(to, true);
    const d = draft(stack.hotWallet, usdt(1), { to });
    await expectBlocked(
      stack.check.evaluate(d, await stack.policies()),
      'contract_blacklist',
      d.transferId,
      to,
    );
    const off = withScreening(await stack.policies(), { contractBlacklist: false });
    await stack.check.evaluate(draft(stack.hotWallet, usdt(1), { to }), off);
    await stack.devnet.setBlacklisted(to, false);
    await stack.check.evaluate(draft(stack.hotWallet, usdt(1), { to }), await stack.policies());
  });

  it("asks the token's blacklist about all of a batch's destinations in one node call", async () => {
    const policies = await stack.policies();
    const wallet = freshAddress();
    const blacklisted = freshAddress();
    await stack.devnet.setBlacklisted(blacklisted, true);
    const at = new Date();
    const items = [
      ...Array.from({ length: 39 }, () => draft(wallet, usdt(1), { at })),
      draft(wallet, usdt(1), { at, to: blacklisted }),
    ];
    const before = await nodeCalls(stack);
    const batch = await stack.check.prepareBatch(items, policies);
    for (const item of items.slice(0, 39)) await stack.check.evaluate(item, policies, batch);
    const after = await nodeCalls(stack);
    const delta = (endpoint: string) => (after.get(endpoint) ?? 0) - (before.get(endpoint) ?? 0);
    expect(delta('triggerconstantcontract:aggregate:isBlackListed')).toBe(1);
    expect(delta('triggerconstantcontract:isBlackListed')).toBe(0);

    // A refusal is not kept: the blacklisted item's own check asks again, and is blocked.
    const last = items[39];
    await expectBlocked(
      stack.check.evaluate(last, policies, batch),
      'contract_blacklist',
      last.transferId,
      blacklisted,
    );
    await stack.check.abandon(batch, [last]);
  });

  it('lets single payouts evaluated together share their reads and their shared limit reservations', async () => {
    const policies = await stack.policies();
    const wallet = freshAddress();
    const at = new Date();
    const drafts = Array.from({ length: 20 }, () => draft(wallet, usdt(2), { at }));
    const before = await dbCommands(stack);
    const outcomes = await Promise.all(drafts.map((d) => stack.check.evaluate(d, policies)));
    const after = await dbCommands(stack);
    const made = (command: string) => (after.get(command) ?? 0) - (before.get(command) ?? 0);
    // Evaluated alone, each would read its destination's KYC record and screening entries once, and update
    // four sum counters (the wallet's day and month, the network's day, the destination's day).
    expect(made('kyc_levels find')).toBeGreaterThan(0);
    expect(made('kyc_levels find')).toBeLessThan(drafts.length);
    expect(made('screening_entries find')).toBeLessThan(drafts.length);
    // All the counters of a round in one command: at most one per payout (rounds of one), not four.
    expect(made('limit_counters update')).toBeLessThanOrEqual(drafts.length);
    // Each holds its own amount, and the wallet's day counter holds exactly their total.
    const walletDay = outcomes[0].reservations[0].counter;
    expect(walletDay).toContain(wallet);
    for (const outcome of outcomes) {
      expect(outcome.reservations).toContainEqual({ counter: walletDay, amountRaw: usdt(2).toString() });
    }
    expect((await counter(stack, walletDay))?.used).toBe(usdt(40));
    for (const [i, outcome] of outcomes.entries()) {
      await stack.check.release(drafts[i].transferId, outcome.reservations);
    }
    expect((await counter(stack, walletDay))?.used).toBe(0n);
  });

  it('blocks what the provider flags and keeps its reason in the audit trail only', async () => {
    const to = freshAddress();
    provider.state.flagged.add(to);
    const d = draft(stack.hotWallet, usdt(1), { to });
    const reason = await expectBlocked(
      stack.check.evaluate(d, await stack.policies()),
      'provider',
      d.transferId,
      to,
    );
    expect(reason).toMatch(/severe.*darknet market/);
  });

  it('fails closed when the provider times out or answers 500 under fail_closed', async () => {
    provider.state.mode = 'slow';
    const slow = draft(stack.hotWallet, usdt(1));
    const started = Date.now();
    const reason = await expectBlocked(
      stack.check.evaluate(slow, await stack.policies()),
      'provider_error',
      slow.transferId,
      slow.to,
    );
    expect(reason).toContain('300 ms');
    expect(Date.now() - started).toBeLessThan(1_500);

    provider.state.mode = 'error';
    const broken = draft(stack.hotWallet, usdt(1));
    expect(
      await expectBlocked(
        stack.check.evaluate(broken, await stack.policies()),
        'provider_error',
        broken.transferId,
        broken.to,
      ),
    ).toContain('HTTP 500');
  });

  it('lets a payout through with a provider_unscreened note when an admin switches to fail_open', async () => {
    const doc = singleAdminPolicyChanges(shippedPolicies());
    for (const name of Object.keys(doc.rateLimits)) doc.rateLimits[name] = { limit: 100000, ttlSeconds: 60 };
    doc.screening.provider = { enabled: true, timeoutMs: 300, onError: 'fail_open' };
    await request(stack.app.url).put(`${API}/policies`).set(stack.admin).send(doc).expect(200);
    try {
      provider.state.mode = 'slow';
      const d = draft(stack.hotWallet, usdt(1));
      const outcome = await stack.check.evaluate(d, await stack.policies());
      expect(outcome.hits).toEqual([
        { rule: 'provider_unscreened', action: 'note', detail: expect.stringContaining('300 ms'), at: d.at },
      ]);
      expect(outcome.holdReasons).toEqual([]);
      expect(outcome.reservations).toHaveLength(5);
    } finally {
      const restore = singleAdminPolicyChanges(shippedPolicies());
      for (const name of Object.keys(restore.rateLimits))
        restore.rateLimits[name] = { limit: 100000, ttlSeconds: 60 };
      restore.screening.provider = { enabled: true, timeoutMs: 300, onError: 'fail_closed' };
      await request(stack.app.url).put(`${API}/policies`).set(stack.admin).send(restore).expect(200);
    }
  });

  it('holds destinations that are not allow-listed in allow-list mode', async () => {
    const policies = withScreening(await stack.policies(), { allowlistMode: true });
    const to = freshAddress();
    const held = await stack.check.evaluate(draft(stack.hotWallet, usdt(1), { to }), policies);
    expect(held.holdReasons).toEqual(['allowlist']);
    expect(held.hits).toEqual([expect.objectContaining({ rule: 'allowlist', action: 'approval' })]);

    await request(stack.app.url)
      .post(`${API}/compliance/screening`)
      .set(stack.admin)
      .send({ list: 'allow', entries: [{ address: to }] })
      .expect(200);
    const allowed = await stack.check.evaluate(draft(stack.hotWallet, usdt(1), { to }), policies);
    expect(allowed.holdReasons).toEqual([]);
  });

  describe('monitoring rules over the transfers collection', () => {
    let seq = 0;
    /** An earlier transfer as the transfers lib stores it (only the fields the rules read). */
    const earlier = (fields: {
      to: string;
      wallet?: string;
      amountRaw: bigint;
      status?: string;
      minutesAgo?: number;
    }) =>
      stack.connection.collection<{ _id: string; [field: string]: unknown }>('transfers').insertOne({
        _id: `earlier-${process.pid}-${++seq}`,
        // Unique like every stored transfer's: a unique index treats a missing key as null, and null only once.
        idempotencyKey: `test:earlier-${process.pid}-${seq}`,
        kind: 'transfer',
        status: fields.status ?? 'confirmed',
        wallet: fields.wallet ?? stack.hotWallet,
        to: fields.to,
        amountRaw: fields.amountRaw,
        createdAt: new Date(Date.now() - (fields.minutesAgo ?? 1) * 60_000),
      });

    it('holds a large first payout, but not once the address has been paid', async () => {
      const policies = await stack.policies();
      const to = freshAddress();
      const first = await stack.check.evaluate(draft(freshAddress(), usdt(15_000), { to }), policies);
      expect(first.holdReasons).toEqual(['first_payout']);
      expect(first.hits).toEqual([
        expect.objectContaining({
          rule: 'first_payout',
          action: 'approval',
          detail: expect.stringContaining('15000 USDT'),
        }),
      ]);
      await earlier({ to, amountRaw: usdt(5), status: 'rejected' });
      expect(
        (await stack.check.evaluate(draft(freshAddress(), usdt(15_000), { to }), policies)).holdReasons,
      ).toEqual(['first_payout']);
      await earlier({ to, amountRaw: usdt(5), status: 'confirmed' });
      expect(
        (await stack.check.evaluate(draft(freshAddress(), usdt(15_000), { to }), policies)).holdReasons,
      ).toEqual([]);
    });

    it('holds the payout that makes three just under the approval threshold within a day (structuring)', async () => {
      const policies = await stack.policies();
      const to = freshAddress();
      await earlier({ to, amountRaw: parseUsdtAmount('9500'), minutesAgo: 60 });
      await earlier({ to, amountRaw: parseUsdtAmount('8000'), minutesAgo: 30 }); // below the band
      await earlier({ to, amountRaw: parseUsdtAmount('9999'), minutesAgo: 2 * 1440 }); // outside the window
      const second = await stack.check.evaluate(
        draft(freshAddress(), parseUsdtAmount('9900'), { to }),
        policies,
      );
      expect(second.holdReasons).toEqual([]);
      await earlier({ to, amountRaw: parseUsdtAmount('9000'), minutesAgo: 10 });
      const third = await stack.check.evaluate(
        draft(freshAddress(), parseUsdtAmount('9900'), { to }),
        policies,
      );
      expect(third.holdReasons).toEqual(['structuring']);
    });

    it('counts the items of one batch to one destination for each other in the structuring rule', async () => {
      const policies = await stack.policies();
      const to = freshAddress();
      const wallet = freshAddress();
      await earlier({ to, amountRaw: parseUsdtAmount('9500'), minutesAgo: 60 });
      const at = new Date();
      const items = [1, 2, 3].map(() => draft(wallet, parseUsdtAmount('9900'), { at, to }));
      const batch = await stack.check.prepareBatch(items, policies);
      const held: string[][] = [];
      for (const item of items) held.push((await stack.check.evaluate(item, policies, batch)).holdReasons);
      // One earlier payout in the band: the batch's 2nd item makes three within the day.
      expect(held).toEqual([[], ['structuring'], ['structuring']]);
    });

    it('holds round amounts and wallet velocity spikes, and blocks when a rule says block', async () => {
      const policies = await stack.policies();
      const roundTo = freshAddress();
      await earlier({ to: roundTo, amountRaw: usdt(1) });
      const round = await stack.check.evaluate(draft(freshAddress(), usdt(60_000), { to: roundTo }), {
        ...policies,
        kyc: { ...policies.kyc, none: { singleMax: usdt(100_000), dailyMax: usdt(100_000) } },
      });
      expect(round.holdReasons).toEqual(['round_amount']);

      const wallet = freshAddress();
      for (let i = 0; i < 3; i++) await earlier({ to: freshAddress(), wallet, amountRaw: usdt(1) });
      const spiky = {
        ...policies,
        monitoring: { ...policies.monitoring, velocity: { ...policies.monitoring.velocity, maxCount: 3 } },
      };
      expect((await stack.check.evaluate(draft(wallet, usdt(1)), spiky)).holdReasons).toEqual(['velocity']);

      const blocking = {
        ...spiky,
        monitoring: {
          ...spiky.monitoring,
          velocity: { ...spiky.monitoring.velocity, action: 'block' as const },
        },
      };
      const d = draft(wallet, usdt(1));
      await expectBlocked(stack.check.evaluate(d, blocking), 'velocity', d.transferId, d.to);
      expect(await counter(stack, `wallet-day:${wallet}:${d.at.toISOString().slice(0, 10)}`)).toMatchObject({
        used: usdt(1),
      });
    });

    it('counts the items of one batch for each other in the wallet velocity rule, as single payouts', async () => {
      const policies = await stack.policies();
      const wallet = freshAddress();
      await earlier({ to: freshAddress(), wallet, amountRaw: usdt(1) });
      const spiky = {
        ...policies,
        monitoring: { ...policies.monitoring, velocity: { ...policies.monitoring.velocity, maxCount: 3 } },
      };
      const at = new Date();
      const items = [1, 2, 3, 4].map(() => draft(wallet, usdt(1), { at, to: freshAddress() }));
      const batch = await stack.check.prepareBatch(items, spiky);
      const held: string[][] = [];
      for (const item of items) held.push((await stack.check.evaluate(item, spiky, batch)).holdReasons);
      // One earlier payout: the 3rd item is the 4th payout of the window, over `maxCount` 3.
      expect(held).toEqual([[], [], ['velocity'], ['velocity']]);
    });
  });
});
