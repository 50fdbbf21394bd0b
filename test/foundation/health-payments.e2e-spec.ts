import request from 'supertest';

import { PaymentStack, startPaymentStack } from '../support/payment-stack';

interface HealthBody {
  status: string;
  details: Record<string, { status: string } & Record<string, unknown>>;
}

describe('payment health, status and wallet gauges (real app, devnet as an external node)', () => {
  let stack: PaymentStack;

  beforeAll(async () => {
    stack = await startPaymentStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('is ready with the TRON node up and its head advancing', async () => {
    const res = await request(stack.app.url).get('/health/ready').expect(200);
    const body = res.body as HealthBody;
    expect(body.details.tronNode).toMatchObject({ status: 'up', headNumber: expect.any(Number) });
    expect(body.details.tronNode.headAgeMs as number).toBeLessThan(
      body.details.tronNode.maxHeadAgeMs as number,
    );
    expect(Object.keys(body.details)).not.toEqual(expect.arrayContaining(['hotWallets']));
    expect(Object.keys(body.details)).not.toEqual(expect.arrayContaining(['pipeline']));
  });

  it('reports the funded hot wallet and an idle pipeline on /health', async () => {
    const res = await request(stack.app.url).get('/health').expect(200);
    const body = res.body as HealthBody;
    expect(body.details.hotWallets).toMatchObject({ status: 'up', wallets: 1, shortOfTrx: [] });
    expect(body.details.pipeline).toMatchObject({ status: 'up', inFlight: 0, oldestAgeMs: null });
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
      },
      hotWallets: [stack.hotWallet],
    });
    expect(Object.keys(res.body.network as object).sort()).toEqual(
      ['eventHost', 'fullHost', 'name', 'solidityHost', 'usdtContract'].sort(),
    );
  });

  it('exports hot wallet balance gauges and the in-flight gauge on /metrics', async () => {
    const res = await request(stack.app.url).get('/metrics').expect(200);
    const address = stack.hotWallet;
    expect(res.text).toMatch(new RegExp(`usdt_hot_wallet_usdt_raw\\{address="${address}"\\} \\d+`));
    expect(res.text).toMatch(new RegExp(`usdt_hot_wallet_trx_sun\\{address="${address}"\\} [1-9]\\d*`));
    expect(res.text).toMatch(/usdt_transfers_in_flight 0/);
  });

  it('drops readiness with the TRON node down and recovers when it is back', async () => {
    stack.devnet.setFaults({ down: true });
    try {
      const res = await request(stack.app.url).get('/health/ready').expect(503);
      const body = res.body as HealthBody;
      expect(body.status).toBe('error');
      expect(body.details.tronNode).toMatchObject({ status: 'down', message: 'node unreachable' });
      expect(body.details.database).toMatchObject({ status: 'up' });
    } finally {
      stack.devnet.setFaults({ clear: true });
    }
    await expectEventually(async () => {
      await request(stack.app.url).get('/health/ready').expect(200);
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

  it('reports the wallet short of TRX on /health without leaving rotation', async () => {
    const res = await request(stack.app.url).get('/health').expect(503);
    const body = res.body as HealthBody;
    expect(body.details.hotWallets).toMatchObject({
      status: 'down',
      minTrxSun: String(10n ** 15n),
      shortOfTrx: [stack.hotWallet],
    });
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
