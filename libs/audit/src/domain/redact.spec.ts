import { isSecretName, REDACTED, redactSecrets } from './redact';

const PRIVATE_KEY = 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbi0xIiwicm9sZXMiOlsiYWRtaW4iXX0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';

describe('redactSecrets', () => {
  it('replaces values under secret-looking keys at any depth, whatever their spelling', () => {
    const out = redactSecrets({
      privateKey: PRIVATE_KEY,
      wallet: { private_key: PRIVATE_KEY, label: 'hot' },
      nested: [{ 'PRIVATE-KEY': 'x' }, { apiKey: 'k', api_key: 'k', token: 't', password: 'p' }],
      secret: { deep: 'value' },
      masterKey: 'm',
      authorization: 'Bearer abc',
      signature: ['sig'],
      keyCiphertext: 'c',
      mnemonic: 'abandon abandon',
      seedPhrase: 'abandon',
      jwtSecret: 's',
    });
    expect(out).toEqual({
      privateKey: REDACTED,
      wallet: { private_key: REDACTED, label: 'hot' },
      nested: [
        { 'PRIVATE-KEY': REDACTED },
        { apiKey: REDACTED, api_key: REDACTED, token: REDACTED, password: REDACTED },
      ],
      secret: REDACTED,
      masterKey: REDACTED,
      authorization: REDACTED,
      signature: REDACTED,
      keyCiphertext: REDACTED,
      mnemonic: REDACTED,
      seedPhrase: REDACTED,
      jwtSecret: REDACTED,
    });
    expect(JSON.stringify(out)).not.toContain(PRIVATE_KEY);
  });

  it('redacts a 64-hex private key under a key-like name but keeps txids and key ids', () => {
    const txid = 'b'.repeat(64);
    expect(
      redactSecrets({ walletKey: PRIVATE_KEY, keys: [`0x${PRIVATE_KEY}`], keyId: 'k1', txid, hash: txid }),
    ).toEqual({ walletKey: REDACTED, keys: [REDACTED], keyId: 'k1', txid, hash: txid });
  });

  it('redacts bearer tokens, JWTs and PEM private keys wherever they appear', () => {
    expect(
      redactSecrets({
        header: `Bearer ${JWT}`,
        note: JWT,
        list: ['-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----'],
        plain: 'approved by admin-1',
      }),
    ).toEqual({ header: REDACTED, note: REDACTED, list: [REDACTED], plain: 'approved by admin-1' });
  });

  it('never stores binary data, which may be key material', () => {
    expect(redactSecrets({ raw: Buffer.from(PRIVATE_KEY, 'hex'), u8: new Uint8Array(3) })).toEqual({
      raw: '[binary 32 bytes]',
      u8: '[binary 3 bytes]',
    });
  });

  it('turns values JSON cannot hold into plain data', () => {
    const out = redactSecrets({
      amountRaw: 12_500_000n,
      at: new Date('2024-01-02T03:04:05.006Z'),
      tags: new Set(['a', 'b']),
      byWallet: new Map([['T1', { privateKey: 'x', n: 1 }]]),
      err: new Error('boom'),
      fn: () => 1,
      nan: NaN,
      missing: undefined,
      nothing: null,
    });
    expect(out).toEqual({
      amountRaw: '12500000',
      at: '2024-01-02T03:04:05.006Z',
      tags: ['a', 'b'],
      byWallet: { T1: { privateKey: REDACTED, n: 1 } },
      err: { name: 'Error', message: 'boom' },
      nan: 'NaN',
      nothing: null,
    });
  });

  it('uses toJSON when an object has one, and redacts what it returns', () => {
    const doc = { toJSON: () => ({ address: 'T1', privateKey: PRIVATE_KEY }) };
    expect(redactSecrets({ doc })).toEqual({ doc: { address: 'T1', privateKey: REDACTED } });
  });

  it('survives cycles and keeps shared (non-circular) references', () => {
    const shared = { n: 1 };
    const loop: Record<string, unknown> = { a: shared, b: shared };
    loop.self = loop;
    expect(redactSecrets(loop)).toEqual({ a: { n: 1 }, b: { n: 1 }, self: '[circular]' });
  });

  it('keeps a __proto__ key as data', () => {
    const input = JSON.parse('{"__proto__":{"privateKey":"x"},"ok":1}') as object;
    const out = redactSecrets(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'ok']);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"privateKey":"[redacted]"},"ok":1}');
  });

  it('does not mutate its input', () => {
    const input = { privateKey: PRIVATE_KEY, nested: { token: 't' } };
    redactSecrets(input);
    expect(input).toEqual({ privateKey: PRIVATE_KEY, nested: { token: 't' } });
  });

  it('recognises secret names and leaves ordinary ones alone', () => {
    for (const name of ['privateKey', 'PRIVATE_KEY', 'clientSecret', 'x-api-key', 'accessToken', 'seed']) {
      expect(isSecretName(name)).toBe(true);
    }
    for (const name of ['address', 'amount', 'keyId', 'txid', 'idempotencyKey', 'requestHash', 'limits']) {
      expect(isSecretName(name)).toBe(false);
    }
  });
});
