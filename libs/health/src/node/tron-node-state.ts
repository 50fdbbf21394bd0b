import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AllConfig } from '@app/config';
import { TronClient, TronNetwork } from '@app/tron';

/** TRON produces a block every 3 s. */
const NETWORK_BLOCK_INTERVAL_MS = 3_000;
/** Never stricter than this: a few missed slots or a slow node must not flap the state. */
const MIN_HEAD_AGE_BOUND_MS = 60_000;
/** Blocks that may be missing before the head counts as stalled. */
const MISSED_BLOCKS_TOLERATED = 20;
/** A probe must answer quickly even when the node hangs (the client's own timeout is for payments). */
const PROBE_TIMEOUT_MS = 3_000;
/** How long one look at the node is reused by /health, /status and metric scrapes. */
export const NODE_STATE_TTL_MS = 5_000;

export interface TronNodeHealth {
  up: boolean;
  host: string;
  headNumber: number | null;
  headAgeMs: number | null;
  /** null: the embedded devnet makes blocks only on demand, so an old head is normal there. */
  maxHeadAgeMs: number | null;
  /** Why it is down; absent while up. */
  reason?: string;
  checkedAt: number;
}

/**
 * Whether the TRON node is usable: it answers and its head advances. Reachability alone is not enough: a
 * node that lost its peers still answers, with an ever older head, and everything read from it (balances,
 * confirmations) is stale. Not part of readiness: reads, approvals and the audit API serve without it, and
 * routes that need it answer USDT_ERR_400 by themselves. Cached for 5 s and shared by concurrent callers, so
 * probes and scrapes cost at most one node call per 5 s.
 */
@Injectable()
export class TronNodeState {
  readonly maxHeadAgeMs: number | null;
  private cached?: TronNodeHealth;
  private inFlight?: Promise<TronNodeHealth>;

  constructor(
    private readonly client: TronClient,
    network: TronNetwork,
    config: ConfigService<AllConfig, true>,
  ) {
    const blockIntervalMs = network.isDevnet
      ? config.getOrThrow('tron.devnet.blockIntervalMs', { infer: true })
      : NETWORK_BLOCK_INTERVAL_MS;
    this.maxHeadAgeMs =
      blockIntervalMs > 0 ? Math.max(MIN_HEAD_AGE_BOUND_MS, MISSED_BLOCKS_TOLERATED * blockIntervalMs) : null;
  }

  snapshot(): Promise<TronNodeHealth> {
    if (this.cached && Date.now() - this.cached.checkedAt < NODE_STATE_TTL_MS) {
      return Promise.resolve(this.cached);
    }
    this.inFlight ??= this.read().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async read(): Promise<TronNodeHealth> {
    const status = await withTimeout(this.client.nodeStatus(), PROBE_TIMEOUT_MS);
    const checkedAt = Date.now();
    const base = { maxHeadAgeMs: this.maxHeadAgeMs, checkedAt };
    let health: TronNodeHealth;
    if (!status) {
      health = {
        ...base,
        up: false,
        host: '',
        headNumber: null,
        headAgeMs: null,
        reason: `no answer within ${PROBE_TIMEOUT_MS} ms`,
      };
    } else if (!status.reachable) {
      health = {
        ...base,
        up: false,
        host: status.host,
        headNumber: null,
        headAgeMs: null,
        reason: 'node unreachable',
      };
    } else {
      const headAgeMs = status.headAgeMs ?? null;
      const stalled = this.maxHeadAgeMs !== null && (headAgeMs ?? Infinity) > this.maxHeadAgeMs;
      health = {
        ...base,
        up: !stalled,
        host: status.host,
        headNumber: status.headNumber ?? null,
        headAgeMs,
        ...(stalled && { reason: 'head block is not advancing' }),
      };
    }
    this.cached = health;
    return health;
  }
}

/** The promise's value, or undefined when it takes longer than `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
