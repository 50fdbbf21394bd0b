import request from 'supertest';

import { PaymentStack, startPaymentStack } from '../support/payment-stack';

interface HealthBody {
  status: string;
  details: Record<string, { status: string } & Record<string, unknown>>;
  degraded?: Array<{ indicator: string; message: string }>;
  warnings?: string[];
}

describe('payment health, status and wallet gauges (real app, devnet as an external node)', () => {
  let stack: PaymentStack;

  beforeAll(async () => {
    stack = await startPaymentStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('is ready on the database and its own state alone: the node, wallets and pipeline are not part', async () => {
    const res = await request(stack.app.url).get('/health/ready').expect(200);
    const body = res.body as HealthBody;
    expect(Object.keys(body.details).sort()).toEqual(['database', 'lifecycle']);
  });

  it('reports the node with its head advancing, the funded hot wallet and an idle pipeline on /health', async () => {
    const res = await request(stack.app.url).get('/health').expect(200);
    const body = res.body as HealthBody;
    expect(body).toMatchObject({ status: 'ok', degraded: [], warnings: [] });
    expect(body.details.tronNode).toMatchObject({ status: 'up', headNumber: expect.any(Number) });
    expect(body.details.tronNode.headAgeMs as number).toBeLessThan(
      body.details.tronNode.maxHeadAgeMs as number,
    );
    expect(body.details.hotWallets).toMatchObject({ status: 'up', wallets: 1, shortOfTrx: [] });
    expect(body.details.pipeline).toMatchObject({
      status: 'up',
      inFlight: 0,
      oldestAgeMs: null,
      waiting: { total: 0, oldestSince: null },
    });
  });

  it('shows the network without credentials and the hot wallet addresses on /status', async () => {
    const res = await request(stack.app.url).get('/status').expect(200);
    expect(res.body).toMatchObject({
      database: { engine: 'external' },
      network: {
        name: 'private',
        fullHost: stack.devnet.url,
        solidityHost: stack.devnet.url,
        eventHost: stack.devnet.url,
        usdtContract: stack.devnet.info.usdt.address,
        multicallContract: stack.devnet.info.multicall.address,
      },
      hotWallets: [stack.hotWallet],
      disabledWallets: [],
      tronNode: { up: true, reason: null, headNumber: expect.any(Number) },
    });
    expect(Object.keys(res.body.network as object).sort()).toEqual(
      ['eventHost', 'fullHost', 'multicallContract', 'name', 'solidityHost', 'usdtContract'].sort(),
    );
  });

  it('exports hot wallet balance gauges and the in-flight gauge on /metrics', async () => {
    const res = await request(stack.app.url).get('/metrics').expect(200);
    const address = stack.hotWallet;
    expect(res.text).toMatch(new RegExp(`usdt_hot_wallet_usdt_raw\\{address="${address}"\\} \\d+`));
    expect(res.text).toMatch(new RegExp(`usdt_hot_wallet_trx_sun\\{address="${address}"\\} [1-9]\\d*`));
    expect(res.text).toMatch(/usdt_transfers_in_flight 0/);
    expect(res.text).toMatch(/usdt_tron_node_up 1/);
    expect(res.text).toMatch(/usdt_transfers_waiting\{code="USDT_ERR_200"\} 0/);
    expect(res.text).toMatch(new RegExp(`usdt_hot_wallet_disabled\\{address="${address}"\\} 0`));
  });

  it('stays ready with the TRON node down: /health degraded with the reason, node routes 503 USDT_ERR_400', async () => {
    stack.devnet.setFaults({ down: true });
    try {
      // The node state is cached for a few seconds: the first probes may still have the old answer.
      await expectEventually(async () => {
        const res = await request(stack.app.url).get('/health').expect(200);
        const body = res.body as HealthBody;
        expect(body.status).toBe('degraded');
        expect(body.degraded).toEqual([{ indicator: 'tronNode', message: 'node unreachable' }]);
        expect(body.details.tronNode).toMatchObject({ status: 'down', message: 'node unreachable' });
        expect(body.details.database).toMatchObject({ status: 'up' });
      });
      const ready = await request(stack.app.url).get('/health/ready').expect(200);
      expect((ready.body as HealthBody).status).toBe('ok');
      const status = await request(stack.app.url).get('/status').expect(200);
      expect(status.body.tronNode).toMatchObject({ up: false, reason: 'node unreachable' });
      const metrics = await request(stack.app.url).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/usdt_tron_node_up 0/);

      const balance = await request(stack.app.url)
        .get(`/api/v1/tron/usdt/balance/${stack.hotWallet}`)
        .set(stack.viewer)
        .expect(503);
      expect(balance.body.error).toMatchObject({ code: 'USDT_ERR_400', retryable: true });
      // What does not need the node keeps serving.
      await request(stack.app.url).get('/api/v1/tron/usdt/transfers').set(stack.viewer).expect(200);
    } finally {
      stack.devnet.setFaults({ clear: true });
    }
    await expectEventually(async () => {
      const res = await request(stack.app.url).get('/health').expect(200);
      expect((res.body as HealthBody).status).toBe('ok');
    });
  });
});

describe('hot wallet below the TRX floor', () => {
  let stack: PaymentStack;

  beforeAll(async () => {
    // A fresh module registry: the first suite's app registered its gauges in prom-client's global registry.
    jest.resetModules();
    // Far above the devnet account's TRX, so the default wallet is short of fees.
    stack = await startPaymentStack({ env: { WALLET_MIN_TRX_SUN: String(10n ** 15n) } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('warns about the wallet short of TRX on /health, naming it, without failing it or leaving rotation', async () => {
    const res = await request(stack.app.url).get('/health').expect(200);
    const body = res.body as HealthBody;
    expect(body.status).toBe('ok');
    expect(body.details.hotWallets).toMatchObject({
      status: 'up',
      minTrxSun: String(10n ** 15n),
      shortOfTrx: [stack.hotWallet],
    });
    expect(body.warnings).toEqual([expect.stringContaining(`hot wallet ${stack.hotWallet} holds`)]);
    expect(body.details.tronNode).toMatchObject({ status: 'up' });
    await request(stack.app.url).get('/health/ready').expect(200);
  });
});

async function expectEventually(assertion: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
