import { createHash } from 'node:crypto';

import { utils } from 'tronweb';

import { addressFromPublicKey } from '../codec/address';

export interface DevnetKey {
  /** 41-hex */
  address: string;
  privateKey: string;
}

/** Devnet-only deterministic keys: privateKey_i = sha256("<seed>/<label>/<i>"). Never use on a real network. */
export function deriveKey(seed: string, label: string, index: number): DevnetKey {
  const privateKey = createHash('sha256').update(`${seed}/${label}/${index}`).digest('hex');
  const publicKey = Buffer.from(
    new utils.ethersUtils.SigningKey('0x' + privateKey).publicKey.slice(2),
    'hex',
  );
  return { address: addressFromPublicKey(publicKey), privateKey };
}

export function signDigest(privateKey: string, digestHex: string): string {
  const sig = new utils.ethersUtils.SigningKey('0x' + privateKey).sign('0x' + digestHex);
  return sig.r.slice(2) + sig.s.slice(2) + sig.v.toString(16);
}
