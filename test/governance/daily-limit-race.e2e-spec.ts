import request from 'supertest';

import { usdtTransfersTo } from '../support/chain-checks';
import { freshAddress, PaymentStack, startPaymentStack, waitForStatus } from '../support/payment-stack';
import { writePolicyFile } from '../support/policy-file';

const API = '/api/v1/tron/usdt';
const REQUESTS = 200;

/** A 50 USDT wallet day raced by 200 requests of 1 USDT; throttling is opened up, it is not under test. */
const policyFile = writePolicyFile((doc) => {
  doc.limits.walletDaily = '50';
  for (const name of Object.keys(doc.rateLimits)) doc.rateLimits[name] = { limit: 100000, ttlSeconds: 60 };
});

describe('a daily limit raced by 200 concurrent transfers (devnet + embedded engine)', () => {
  let stack: PaymentStack;

  beforeAll(async () => {
    stack = await startPaymentStack({ env: { POLICY_FILE: policyFile } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('accepts exactly the capacity, never more, and the chain shows exactly that much paid', async () => {
    const recipients = Array.from({ length: REQUESTS }, () => freshAddress());
    const responses = await Promise.all(
      recipients.map((to, i) =>
        request(stack.app.url)
          .post(`${API}/transfer`)
          .set(stack.operator)
          .set('Idempotency-Key', `race-${process.pid}-${i}`)
          .send({ to, amount: '1' }),
      ),
    );
    const accepted = responses.filter((res) => res.status === 202);
    const refused = responses.filter((res) => res.status === 422);
    expect(accepted).toHaveLength(50);
    expect(refused).toHaveLength(REQUESTS - 50);
    for (const res of refused) {
      expect(res.body.error.code).toBe('USDT_ERR_701');
      expect(res.body.error.details).toEqual([
        expect.objectContaining({ limit: 'wallet_daily', value: '50', remaining: '0' }),
      ]);
    }

    for (const res of accepted) {
      expect(
        (await waitForStatus(stack, res.body.id as string, ['confirmed', 'failed'], 120_000)).status,
      ).toBe('confirmed');
    }
    // On chain: one payment of 1 USDT to each accepted recipient, nothing to the others.
    const paid = new Set(accepted.map((res) => res.body.to as string));
    let totalRaw = 0n;
    for (const to of recipients) {
      const events = await usdtTransfersTo(stack.devnet.url, stack.devnet.info.usdt.address, to);
      expect(events).toHaveLength(paid.has(to) ? 1 : 0);
      for (const event of events) totalRaw += event.valueRaw;
    }
    expect(totalRaw).toBe(50_000_000n);
  });
});
