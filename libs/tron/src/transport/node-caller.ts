import { AppError, ErrorCode } from '@app/common';

import { BackoffOptions, backoffDelay } from './backoff';
import { Clock, systemClock } from './clock';
import { HostPool, PooledHost } from './host-pool';
import { CallTimeoutError, classifyNodeError, NodeFailure } from './node-failure';
import { TokenBucket } from './token-bucket';

export interface NodeCallMetrics {
  observe(endpoint: string, outcome: 'ok' | 'error', seconds: number): void;
  failed(endpoint: string, reason: string): void;
}

export interface NodeCallerOptions {
  maxRetries: number;
  timeoutMs: number;
  backoff: BackoffOptions;
}

export interface CallOptions {
  /** overrides maxRetries for this call, e.g. 0 for a health probe that must answer fast */
  retries?: number;
}

interface WarnLogger {
  warn(message: string): void;
}

/**
 * The one path every node request takes: rate limit, per-attempt deadline, retry with backoff on transient
 * failures, failover across hosts, metrics. Final transport failures become USDT_ERR_400; AppErrors raised
 * by `fn` pass through untouched, as do local errors (a bug is not a node outage and must not be retried).
 */
export class NodeCaller<C> {
  constructor(
    private readonly pool: HostPool<C>,
    private readonly limiter: TokenBucket,
    private readonly options: NodeCallerOptions,
    private readonly metrics: NodeCallMetrics,
    private readonly logger: WarnLogger,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The host calls currently go to (for /status). */
  currentHost(): PooledHost<C> {
    return this.pool.pick();
  }

  async call<T>(endpoint: string, fn: (client: C) => Promise<T>, callOptions: CallOptions = {}): Promise<T> {
    const retries =
      this.options.backoff.policy === 'no_retry' ? 0 : (callOptions.retries ?? this.options.maxRetries);
    let last: NodeFailure | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      const host = this.pool.pick();
      await this.limiter.acquire();
      const started = this.clock.now();
      try {
        const result = await this.withDeadline(fn(host.client));
        this.metrics.observe(endpoint, 'ok', (this.clock.now() - started) / 1000);
        this.pool.succeeded(host);
        return result;
      } catch (err) {
        this.metrics.observe(endpoint, 'error', (this.clock.now() - started) / 1000);
        if (err instanceof AppError) throw err;
        const failure = classifyNodeError(err);
        this.metrics.failed(endpoint, failure.kind);
        if (failure.kind === 'local') throw err;
        if (!failure.transient) throw this.finalError(endpoint, failure, attempt + 1);
        last = failure;
        if (this.pool.failed(host, failure.kind === 'connection')) {
          this.logger.warn(
            `TRON host ${host.label} set aside after ${failure.kind} (${endpoint}); failing over`,
          );
        }
        if (attempt < retries) {
          await this.clock.sleep(backoffDelay(attempt, this.options.backoff, failure.retryAfterMs));
        }
      }
    }
    throw this.finalError(endpoint, last!, retries + 1);
  }

  private withDeadline<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CallTimeoutError(this.options.timeoutMs)), this.options.timeoutMs);
    });
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }

  private finalError(endpoint: string, failure: NodeFailure, attempts: number): AppError {
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    return new AppError(
      ErrorCode.NODE_UNAVAILABLE,
      `TRON node call ${endpoint} failed after ${tries}: ${failure.kind}`,
      // Callers see the endpoint and the kind of failure; host names and addresses stay in the logged cause.
      [{ message: failure.kind, endpoint, ...(failure.status ? { status: failure.status } : {}) }],
      {
        // A plain Error with the sanitized summary: the transport error holds the request headers (API key).
        cause: new Error(failure.summary),
        retryAfterSeconds: failure.retryAfterMs ? Math.ceil(failure.retryAfterMs / 1000) : undefined,
      },
    );
  }
}
