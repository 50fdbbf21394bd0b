import request from 'supertest';

import { TronNetwork } from '@app/tron';
import { ResolveWallet } from '@app/wallets';

import { bearer, tokenFor } from '../support/tokens';
import { startWalletsTestApp, WalletsTestApp } from './wallets-test-app';

describe('hot wallets on the in-process devnet (nothing configured)', () => {
  let app: WalletsTestApp;

  beforeAll(async () => {
    app = await startWalletsTestApp({ withTron: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates a funded default hot wallet at start-up and lists its live balances', async () => {
    expect(app.app.get(TronNetwork).isDevnet).toBe(true);
    const wallet = await app.app.get(ResolveWallet).getDefault();
    expect(wallet.label).toBe('default');

    const res = await request(app.url)
      .get('/api/v1/tron/usdt/wallets')
      .set(bearer(tokenFor('viewer')))
      .expect(200);
    expect(res.body).toEqual([
      expect.objectContaining({
        address: wallet.address,
        label: 'default',
        usdt: '1000000',
        usdtRaw: '1000000000000',
        trxSun: '10000000000',
      }),
    ]);
  });
});
