import { registerAs } from '@nestjs/config';
import { IsOptional, Matches, ValidateIf } from 'class-validator';
import { resolve } from 'node:path';

import { loadOrCreateDevSecret } from '../dev-secrets';
import { envInt, INTEGER_PATTERN, registerEnvValidator } from '../env-validation';

/** A key-encryption key: 32 bytes, and the id stored beside every key it encrypted. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

export interface WalletsConfig {
  /** Encrypts new keys; `previousMasterKeys` still decrypt old ones until `npm run wallets -- rotate`. */
  masterKey: MasterKey;
  previousMasterKeys: MasterKey[];
  /** Below this TRX balance a hot wallet is reported unhealthy (fees would soon fail). */
  minTrxSun: bigint;
  /**
   * How old the key record (and so the disabled flag) a signature uses may be: each instance reads a wallet's
   * at most once per this interval, so a disable written by another instance takes effect here within it.
   */
  stateMaxAgeMs: number;
}

const BASE64_32 = /^[A-Za-z0-9+/]{43}=$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

class WalletsEnv {
  NODE_ENV?: string;

  @ValidateIf((env: WalletsEnv) => env.NODE_ENV === 'production' || env.WALLET_MASTER_KEY !== undefined)
  @Matches(BASE64_32, {
    message:
      'WALLET_MASTER_KEY must be 32 random bytes in base64 (openssl rand -base64 32); required in production',
  })
  WALLET_MASTER_KEY?: string;

  @IsOptional()
  @Matches(KEY_ID, { message: 'WALLET_MASTER_KEY_ID must be 1-32 letters, digits, _ or -' })
  WALLET_MASTER_KEY_ID?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/, {
    message: 'WALLET_PREVIOUS_MASTER_KEYS must be a comma-separated list of id:base64key',
  })
  WALLET_PREVIOUS_MASTER_KEYS?: string;

  @IsOptional()
  @Matches(INTEGER_PATTERN, { message: 'WALLET_MIN_TRX_SUN must be an integer' })
  WALLET_MIN_TRX_SUN?: string;

  @IsOptional()
  @Matches(INTEGER_PATTERN, { message: 'WALLET_STATE_MAX_AGE_MS must be an integer' })
  WALLET_STATE_MAX_AGE_MS?: string;
}
registerEnvValidator(WalletsEnv);

export const walletsConfig = registerAs('wallets', (): WalletsConfig => {
  const env = process.env;
  const encoded =
    env.WALLET_MASTER_KEY || loadOrCreateDevSecret(resolve(env.DATA_DIR || './data'), 'WALLET_MASTER_KEY');
  return {
    masterKey: { id: env.WALLET_MASTER_KEY_ID || 'k1', key: Buffer.from(encoded, 'base64') },
    previousMasterKeys: (env.WALLET_PREVIOUS_MASTER_KEYS ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [id, key] = pair.split(':');
        return { id, key: Buffer.from(key, 'base64') };
      }),
    minTrxSun: BigInt(envInt(env.WALLET_MIN_TRX_SUN, 50_000_000)),
    stateMaxAgeMs: Math.min(5000, envInt(env.WALLET_STATE_MAX_AGE_MS, 250)),
  };
});
