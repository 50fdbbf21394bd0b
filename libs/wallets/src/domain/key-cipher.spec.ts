import { randomBytes } from 'node:crypto';

import { AppError, ErrorCode } from '@app/common';

import { KeyCipher } from './key-cipher';
import { EncryptedKey } from './wallet';

const ADDRESS = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';
const OTHER_ADDRESS = 'TVj7RNVHy6thbM7BWdSe9G6gXwKhjhdNZS';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

function flipFirstByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] ^= 0x01;
  return bytes.toString('base64');
}

function expectKeyUnavailable(action: () => unknown, secret: Buffer): void {
  let caught: unknown;
  try {
    action();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  const error = caught as AppError;
  expect(error.code).toBe(ErrorCode.SIGNING_FAILED);
  const everything = `${error.message} ${JSON.stringify(error.details)} ${String(error.cause)}`;
  expect(everything).not.toContain(secret.toString('hex'));
  expect(everything).not.toContain(secret.toString('base64'));
}

describe('KeyCipher', () => {
  const plaintext = randomBytes(32);

  it('decrypts what it encrypted', () => {
    const cipher = new KeyCipher(k1);
    const record = cipher.encrypt(plaintext, ADDRESS);
    expect(record.keyId).toBe('k1');
    expect(Buffer.from(record.nonce, 'base64')).toHaveLength(12);
    expect(Buffer.from(record.tag, 'base64')).toHaveLength(16);
    expect(cipher.decrypt(record, ADDRESS).equals(plaintext)).toBe(true);
  });

  it('never stores the plaintext in the record', () => {
    const record = new KeyCipher(k1).encrypt(plaintext, ADDRESS);
    const stored = JSON.stringify(record);
    expect(stored).not.toContain(plaintext.toString('hex'));
    expect(stored).not.toContain(plaintext.toString('base64'));
  });

  it('uses a fresh random nonce for every encryption', () => {
    const cipher = new KeyCipher(k1);
    const records = Array.from({ length: 20 }, () => cipher.encrypt(plaintext, ADDRESS));
    expect(new Set(records.map((r) => r.nonce)).size).toBe(20);
    expect(new Set(records.map((r) => r.ciphertext)).size).toBe(20);
  });

  it("refuses a record decrypted for another wallet's address (associated data)", () => {
    const cipher = new KeyCipher(k1);
    const record = cipher.encrypt(plaintext, ADDRESS);
    expectKeyUnavailable(() => cipher.decrypt(record, OTHER_ADDRESS), plaintext);
  });

  it.each<[string, (r: EncryptedKey) => EncryptedKey]>([
    ['tag', (r) => ({ ...r, tag: flipFirstByte(r.tag) })],
    ['ciphertext', (r) => ({ ...r, ciphertext: flipFirstByte(r.ciphertext) })],
    ['nonce', (r) => ({ ...r, nonce: flipFirstByte(r.nonce) })],
    ['truncated tag', (r) => ({ ...r, tag: Buffer.from(r.tag, 'base64').subarray(0, 8).toString('base64') })],
  ])('refuses a record with a tampered %s', (_part, tamper) => {
    const cipher = new KeyCipher(k1);
    expectKeyUnavailable(
      () => cipher.decrypt(tamper(cipher.encrypt(plaintext, ADDRESS)), ADDRESS),
      plaintext,
    );
  });

  it('refuses a record when the master key under its id is not the one that encrypted it', () => {
    const record = new KeyCipher(k1).encrypt(plaintext, ADDRESS);
    const impostor = new KeyCipher({ id: 'k1', key: randomBytes(32) });
    expectKeyUnavailable(() => impostor.decrypt(record, ADDRESS), plaintext);
  });

  it('refuses a record under a key id that is not configured, without naming any key', () => {
    const record = new KeyCipher(k1).encrypt(plaintext, ADDRESS);
    expectKeyUnavailable(() => new KeyCipher(k2).decrypt(record, ADDRESS), k1.key);
  });

  it('decrypts records under a previous master key and encrypts new ones under the current key', () => {
    const old = new KeyCipher(k1).encrypt(plaintext, ADDRESS);
    const rotated = new KeyCipher(k2, [k1]);
    expect(rotated.decrypt(old, ADDRESS).equals(plaintext)).toBe(true);
    const fresh = rotated.encrypt(plaintext, ADDRESS);
    expect(fresh.keyId).toBe('k2');
    expect(rotated.currentKeyId).toBe('k2');
  });

  it('rotation: a record re-encrypted under the new key no longer needs the old one', () => {
    const old = new KeyCipher(k1).encrypt(plaintext, ADDRESS);
    const during = new KeyCipher(k2, [k1]);
    const decrypted = during.decrypt(old, ADDRESS);
    const reencrypted = during.encrypt(decrypted, ADDRESS);
    decrypted.fill(0);
    expect(reencrypted.nonce).not.toBe(old.nonce);
    const after = new KeyCipher(k2);
    expect(after.decrypt(reencrypted, ADDRESS).equals(plaintext)).toBe(true);
    expectKeyUnavailable(() => after.decrypt(old, ADDRESS), plaintext);
  });

  it('refuses master keys that are not 32 bytes or ids configured twice with different keys', () => {
    expect(() => new KeyCipher({ id: 'short', key: randomBytes(16) })).toThrow(AppError);
    expect(() => new KeyCipher(k1, [{ id: 'k1', key: randomBytes(32) }])).toThrow(/configured twice/);
    expect(() => new KeyCipher(k1, [k1])).not.toThrow();
  });
});
