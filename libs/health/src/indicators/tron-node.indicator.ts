import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';

import { AllConfig } from '@app/config';
import { TronClient, TronNetwork } from '@app/tron';

/** TRON produces a block every 3 s. */
const NETWORK_BLOCK_INTERVAL_MS = 3_000;
/** Never stricter than this: a few missed slots or a slow node must not flap readiness. */
const MIN_HEAD_AGE_BOUND_MS = 60_000;
/** Blocks that may be missing before the head counts as stalled. */
const MISSED_BLOCKS_TOLERATED = 20;

/**
 * The node answers and its head advances. Checking reachability alone is not enough: a node that lost its
 * peers or stopped syncing still answers, with an ever older head, and everything we read from it
 * (balances, confirmations) is stale. Part of readiness: without a usable node no payment can progress.
 */
@Injectable()
export class TronNodeHealthIndicator {
  /** null: the embedded devnet makes blocks only on demand, so an old head is normal there. */
  readonly maxHeadAgeMs: number | null;

  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly client: TronClient,
    private readonly network: TronNetwork,
    config: ConfigService<AllConfig, true>,
  ) {
    const blockIntervalMs = network.isDevnet
      ? config.getOrThrow('tron.devnet.blockIntervalMs', { infer: true })
      : NETWORK_BLOCK_INTERVAL_MS;
    this.maxHeadAgeMs =
      blockIntervalMs > 0 ? Math.max(MIN_HEAD_AGE_BOUND_MS, MISSED_BLOCKS_TOLERATED * blockIntervalMs) : null;
  }

  async check(key = 'tronNode') {
    const session = this.indicator.check(key);
    const status = await this.client.nodeStatus();
    if (!status.reachable) return session.down({ host: status.host, message: 'node unreachable' });
    const details = {
      host: status.host,
      headNumber: status.headNumber,
      headAgeMs: status.headAgeMs,
      maxHeadAgeMs: this.maxHeadAgeMs,
    };
    if (this.maxHeadAgeMs !== null && (status.headAgeMs ?? Infinity) > this.maxHeadAgeMs) {
      return session.down({ ...details, message: 'head block is not advancing' });
    }
    return session.up(details);
  }
}
