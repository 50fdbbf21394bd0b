import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { utils } from 'tronweb';

import { ResolveWallet, WalletSigner } from '@app/wallets';

import { bearer, tokenFor } from '../support/tokens';
import { startWalletsTestApp, WalletsTestApp } from './wallets-test-app';
import { unsignedTransfer } from './unsigned-transaction';

const WALLETS = '/api/v1/tron/usdt/wallets';

/** Every spelling in which a private key could leak into a response, a document or a log. */
function spellings(privateKeyHex: string): string[] {
  const bytes = Buffer.from(privateKeyHex, 'hex');
  return [privateKeyHex.toLowerCase(), privateKeyHex.toUpperCase(), bytes.toString('base64')];
}

function expectNoKey(text: string, privateKeyHex: string): void {
  for (const spelling of spellings(privateKeyHex)) expect(text).not.toContain(spelling);
}

describe('hot wallets (real app, embedded engine, no TRON node)', () => {
  let app: WalletsTestApp;
  const admin = bearer(tokenFor('admin'));
  const viewer = bearer(tokenFor('viewer'));
  const operator = bearer(tokenFor('operator'));
  const payer = utils.accounts.generateAccount();

  beforeAll(async () => {
    app = await startWalletsTestApp({ withTron: false });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('imports a key for an admin and answers 201 with the listing, never the key', async () => {
    const res = await request(app.url)
      .post(WALLETS)
      .set(admin)
      .send({ privateKey: payer.privateKey, label: 'payouts-1' })
      .expect(201);

    expect(res.body).toEqual({
      address: payer.address.base58,
      label: 'payouts-1',
      keyId: 'k1',
      disabled: false,
      disabledReason: null,
      disabledBy: null,
      disabledAt: null,
      enableVotes: [],
      createdAt: expect.any(String),
      usdt: null,
      usdtRaw: null,
      trxSun: null,
    });
    expectNoKey(res.text, payer.privateKey);
  });

  it('refuses import for viewers and operators (USDT_ERR_501)', async () => {
    for (const caller of [viewer, operator]) {
      const res = await request(app.url)
        .post(WALLETS)
        .set(caller)
        .send({ privateKey: utils.accounts.generateAccount().privateKey, label: 'nope' })
        .expect(403);
      expect(res.body.error.code).toBe('USDT_ERR_501');
    }
  });

  it('does not echo a malformed private key in the validation error', async () => {
    const almostKey = `${utils.accounts.generateAccount().privateKey.slice(0, 63)}z`;
    const res = await request(app.url)
      .post(WALLETS)
      .set(admin)
      .send({ privateKey: almostKey, label: 'bad' })
      .expect(400);
    expect(res.body.error.code).toBe('USDT_ERR_100');
    expect(res.body.error.details).toEqual([{ field: 'privateKey', message: expect.any(String) }]);
    expect(res.text).not.toContain(almostKey);
    expect(res.text).not.toContain(almostKey.slice(0, 32));
  });

  it('does not echo a key pasted into the label', async () => {
    const key = utils.accounts.generateAccount().privateKey;
    const res = await request(app.url)
      .post(WALLETS)
      .set(admin)
      .send({ privateKey: key, label: key })
      .expect(400);
    expectNoKey(res.text, key);
  });

  it('refuses a second import of the same key with 409 USDT_ERR_601', async () => {
    const res = await request(app.url)
      .post(WALLETS)
      .set(admin)
      .send({ privateKey: payer.privateKey, label: 'payouts-again' })
      .expect(409);
    expect(res.body.error.code).toBe('USDT_ERR_601');
    expectNoKey(res.text, payer.privateKey);
  });

  it('lists wallets for a viewer with no key material, balances null without a node', async () => {
    const res = await request(app.url).get(WALLETS).set(viewer).expect(200);
    expect(res.body).toEqual([expect.objectContaining({ address: payer.address.base58, usdt: null })]);
    expectNoKey(res.text, payer.privateKey);
    for (const field of ['keyNonce', 'keyCiphertext', 'keyTag', 'ciphertext', 'nonce', 'tag', 'privateKey']) {
      expect(res.text).not.toContain(field);
    }
  });

  it('stores the key only as AES-GCM ciphertext', async () => {
    const connection = app.app.get<Connection>(getConnectionToken());
    const doc = await connection.collection('wallets').findOne({ address: payer.address.base58 });
    expect(doc).toMatchObject({
      address: payer.address.base58,
      label: 'payouts-1',
      keyId: 'k1',
      keyNonce: expect.any(String),
      keyCiphertext: expect.any(String),
      keyTag: expect.any(String),
    });
    expect(Buffer.from(doc!.keyNonce as string, 'base64')).toHaveLength(12);
    expectNoKey(JSON.stringify(doc), payer.privateKey);
  });

  it('signs a transaction for the wallet that the transfers lib resolves', async () => {
    const wallet = await app.app.get(ResolveWallet).getDefault();
    expect(wallet.address).toBe(payer.address.base58);

    const tx = unsignedTransfer(wallet.address, utils.accounts.generateAccount().address.base58);
    const signed = await app.app.get(WalletSigner).sign(wallet.address, tx);
    expect(signed.txID).toBe(tx.txID);
    expect(utils.crypto.ecRecover(signed.txID, signed.signature[0]).toLowerCase()).toBe(
      payer.address.hex.toLowerCase(),
    );
  });

  it('lists the hot wallets for /status', async () => {
    expect(await app.app.get(ResolveWallet).hotWalletAddresses()).toEqual([payer.address.base58]);
  });
});
