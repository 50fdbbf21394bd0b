import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

/** A valid base58check TRON address (0x41 + 20 random bytes + checksum). */
export function randomTronAddress(): string {
  const payload = Buffer.concat([Buffer.from([0x41]), randomBytes(20)]);
  return base58(Buffer.concat([payload, sha256(sha256(payload)).subarray(0, 4)]));
}

/**
 * What an address-poisoning attacker grinds for: another valid address with the same `prefix` characters
 * after the leading T and the same last `suffix` characters as `genuine`. Random search, so keep
 * prefix + suffix small (3 characters take about 200,000 tries, a second or two).
 */
export function lookalikeOf(genuine: string, prefix: number, suffix: number): string {
  const head = genuine.slice(0, 1 + prefix);
  const tail = genuine.slice(-suffix);
  for (let i = 0; i < 20_000_000; i++) {
    const candidate = randomTronAddress();
    if (candidate !== genuine && candidate.startsWith(head) && candidate.endsWith(tail)) return candidate;
  }
  throw new Error(`no look-alike of ${genuine} found`);
}
