import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional, IsString, IsUrl, Matches } from 'class-validator';
import { join, resolve } from 'node:path';

import { envInt, envList, INTEGER_PATTERN, registerEnvValidator } from '../env-validation';

export const TRON_NETWORKS = ['mainnet', 'nile', 'shasta', 'private', 'devnet'] as const;
export type TronNetworkName = (typeof TRON_NETWORKS)[number];

/** The USDT contract per public network; a private network must name its own. */
export const KNOWN_USDT_CONTRACTS: Partial<Record<TronNetworkName, string>> = {
  mainnet: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
  nile: 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf',
};

export interface TronConfig {
  /** Unset: the service starts the devnet in process. */
  fullHost?: string;
  solidityHost?: string;
  eventHost?: string;
  /** Tried in order when the primary host fails. */
  fallbackHosts: string[];
  apiKey?: string;
  network: TronNetworkName;
  /** Unset on the devnet (it reports its own) and on networks without a well-known deployment. */
  usdtContract?: string;
  /**
   * A Multicall contract (any of v1-v3: they share `aggregate((address,bytes)[])`): when set, the token's
   * blacklist is asked about many destinations in one constant call instead of one call each.
   */
  multicallContract?: string;
  requestsPerSecond: number;
  requestTimeoutMs: number;
  maxRetries: number;
  devnet: { blockIntervalMs: number; solidityLag: number; port: number; dataDir: string };
}

const url = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

class TronEnv {
  @IsOptional() @IsUrl(url, { message: 'TRON_FULL_HOST must be an http(s) URL' }) TRON_FULL_HOST?: string;
  @IsOptional()
  @IsUrl(url, { message: 'TRON_SOLIDITY_HOST must be an http(s) URL' })
  TRON_SOLIDITY_HOST?: string;
  @IsOptional() @IsUrl(url, { message: 'TRON_EVENT_HOST must be an http(s) URL' }) TRON_EVENT_HOST?: string;
  @IsOptional()
  @Matches(/^(https?:\/\/[^,\s]+)(,\s*https?:\/\/[^,\s]+)*$/, {
    message: 'TRON_FALLBACK_HOSTS must be a comma-separated list of http(s) URLs',
  })
  TRON_FALLBACK_HOSTS?: string;
  @IsOptional() @IsString() TRONGRID_API_KEY?: string;
  @IsOptional() @IsIn(TRON_NETWORKS) TRON_NETWORK?: string;
  @IsOptional()
  @Matches(/^T[1-9A-HJ-NP-Za-km-z]{33}$/, { message: 'USDT_CONTRACT_ADDRESS must be a base58 TRON address' })
  USDT_CONTRACT_ADDRESS?: string;
  @IsOptional()
  @Matches(/^T[1-9A-HJ-NP-Za-km-z]{33}$/, { message: 'TRON_MULTICALL_ADDRESS must be a base58 TRON address' })
  TRON_MULTICALL_ADDRESS?: string;
  @IsOptional()
  @Matches(INTEGER_PATTERN, { message: 'TRON_REQUESTS_PER_SECOND must be an integer' })
  TRON_REQUESTS_PER_SECOND?: string;
  @IsOptional()
  @Matches(INTEGER_PATTERN, { message: 'TRON_REQUEST_TIMEOUT_MS must be an integer' })
  TRON_REQUEST_TIMEOUT_MS?: string;
  @IsOptional()
  @Matches(INTEGER_PATTERN, { message: 'TRON_MAX_RETRIES must be an integer' })
  TRON_MAX_RETRIES?: string;
  @IsOptional()
  @Matches(INTEGER_PATTERN, { message: 'DEVNET_BLOCK_MS must be an integer' })
  DEVNET_BLOCK_MS?: string;
  @IsOptional()
  @Matches(INTEGER_PATTERN, { message: 'DEVNET_SOLIDITY_LAG must be an integer' })
  DEVNET_SOLIDITY_LAG?: string;
  @IsOptional()
  @Matches(INTEGER_PATTERN, { message: 'DEVNET_PORT must be an integer' })
  DEVNET_PORT?: string;
}
registerEnvValidator(TronEnv);

/** Names the network from its host when TRON_NETWORK is not set. */
function guessNetwork(fullHost: string | undefined): TronNetworkName {
  if (!fullHost) return 'devnet';
  if (/nile/i.test(fullHost)) return 'nile';
  if (/shasta/i.test(fullHost)) return 'shasta';
  if (/api\.trongrid\.io|tronstack|tron\.network/i.test(fullHost)) return 'mainnet';
  return 'private';
}

export const tronConfig = registerAs('tron', (): TronConfig => {
  const env = process.env;
  const fullHost = env.TRON_FULL_HOST || undefined;
  const network = fullHost
    ? (env.TRON_NETWORK as TronNetworkName | undefined) || guessNetwork(fullHost)
    : 'devnet';
  return {
    fullHost,
    solidityHost: env.TRON_SOLIDITY_HOST || undefined,
    eventHost: env.TRON_EVENT_HOST || undefined,
    fallbackHosts: envList(env.TRON_FALLBACK_HOSTS),
    apiKey: env.TRONGRID_API_KEY || undefined,
    network,
    usdtContract: env.USDT_CONTRACT_ADDRESS || KNOWN_USDT_CONTRACTS[network],
    multicallContract: env.TRON_MULTICALL_ADDRESS || undefined,
    // Public nodes throttle hard; the local devnet does not.
    requestsPerSecond: envInt(env.TRON_REQUESTS_PER_SECOND, fullHost ? 10 : 1000),
    requestTimeoutMs: envInt(env.TRON_REQUEST_TIMEOUT_MS, 10_000),
    maxRetries: envInt(env.TRON_MAX_RETRIES, 3),
    devnet: {
      blockIntervalMs: envInt(env.DEVNET_BLOCK_MS, 3000),
      solidityLag: envInt(env.DEVNET_SOLIDITY_LAG, 19),
      port: envInt(env.DEVNET_PORT, 0),
      dataDir: join(resolve(env.DATA_DIR || './data'), 'devnet'),
    },
  };
});
