import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';

import {
  BOOLEAN_PATTERN,
  envBoolean,
  envInt,
  INTEGER_PATTERN,
  registerEnvValidator,
} from '../env-validation';

export interface TransfersConfig {
  /** Caps the TRX a transfer may burn for energy (TRON's fee_limit), in sun. */
  feeLimitSun: bigint;
  /** An instance that only serves the API can leave the pipeline to others. */
  workerEnabled: boolean;
  /** Parallel pipeline loops per instance. */
  workerConcurrency: number;
  /** How often an idle loop looks for due work, and how often in-flight transactions are looked up. */
  pollIntervalMs: number;
  /** How long a claimed transfer stays with one worker before another may take over (crash recovery). */
  leaseMs: number;
  /** First pause after a node error or rejected broadcast; doubles per attempt up to 20x. */
  retryDelayMs: number;
  /** How often a transfer waiting for USDT or TRX re-checks the wallet. */
  fundsRecheckMs: number;
  /**
   * Longest a queued transfer may wait for funds (USDT_ERR_200/201) or for a paused token (USDT_ERR_301)
   * before it fails with its waiting code and gives its limits back; 0 waits without limit.
   */
  maxWaitMs: number;
  /** A non-final transfer untouched for longer than this makes the pipeline health check fail. */
  stuckAfterMs: number;
  /** Transactions signed for one transfer that expired unseen before it is failed (a broken signer or node). */
  maxReplacements: number;
  /**
   * A transfer event not delivered to every subscriber (the audit trail) this long after the transfer's last
   * write is delivered again (its instance died first, say); also how often the sweep looks.
   */
  eventRedeliverAfterMs: number;
}

const int = (name: string) => Matches(INTEGER_PATTERN, { message: `${name} must be an integer` });

class TransfersEnv {
  @IsOptional() @int('TRANSFER_FEE_LIMIT_SUN') TRANSFER_FEE_LIMIT_SUN?: string;
  @IsOptional()
  @Matches(BOOLEAN_PATTERN, { message: 'TRANSFER_WORKER_ENABLED must be true or false' })
  TRANSFER_WORKER_ENABLED?: string;
  @IsOptional() @int('TRANSFER_WORKER_CONCURRENCY') TRANSFER_WORKER_CONCURRENCY?: string;
  @IsOptional() @int('TRANSFER_POLL_INTERVAL_MS') TRANSFER_POLL_INTERVAL_MS?: string;
  @IsOptional() @int('TRANSFER_LEASE_MS') TRANSFER_LEASE_MS?: string;
  @IsOptional() @int('TRANSFER_RETRY_DELAY_MS') TRANSFER_RETRY_DELAY_MS?: string;
  @IsOptional() @int('TRANSFER_FUNDS_RECHECK_MS') TRANSFER_FUNDS_RECHECK_MS?: string;
  @IsOptional() @int('TRANSFER_MAX_WAIT_MS') TRANSFER_MAX_WAIT_MS?: string;
  @IsOptional() @int('TRANSFER_STUCK_AFTER_MS') TRANSFER_STUCK_AFTER_MS?: string;
  @IsOptional() @int('TRANSFER_MAX_REPLACEMENTS') TRANSFER_MAX_REPLACEMENTS?: string;
  @IsOptional() @int('TRANSFER_EVENT_REDELIVER_AFTER_MS') TRANSFER_EVENT_REDELIVER_AFTER_MS?: string;
}
registerEnvValidator(TransfersEnv);

export const transfersConfig = registerAs('transfers', (): TransfersConfig => {
  const env = process.env;
  return {
    feeLimitSun: BigInt(env.TRANSFER_FEE_LIMIT_SUN || '100000000'),
    workerEnabled: envBoolean(env.TRANSFER_WORKER_ENABLED, true),
    workerConcurrency: Math.max(1, envInt(env.TRANSFER_WORKER_CONCURRENCY, 4)),
    pollIntervalMs: Math.max(50, envInt(env.TRANSFER_POLL_INTERVAL_MS, 1000)),
    leaseMs: Math.max(1000, envInt(env.TRANSFER_LEASE_MS, 30_000)),
    retryDelayMs: Math.max(100, envInt(env.TRANSFER_RETRY_DELAY_MS, 5000)),
    fundsRecheckMs: Math.max(100, envInt(env.TRANSFER_FUNDS_RECHECK_MS, 30_000)),
    maxWaitMs: Math.max(0, envInt(env.TRANSFER_MAX_WAIT_MS, 86_400_000)),
    stuckAfterMs: envInt(env.TRANSFER_STUCK_AFTER_MS, 600_000),
    maxReplacements: envInt(env.TRANSFER_MAX_REPLACEMENTS, 5),
    eventRedeliverAfterMs: Math.max(500, envInt(env.TRANSFER_EVENT_REDELIVER_AFTER_MS, 60_000)),
  };
});
