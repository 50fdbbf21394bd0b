import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';

import { AllConfig } from '@app/config';

/**
 * The Redis connection rate-limit counters are shared through when `REDIS_URL` is set, so a limit holds
 * across instances. It never queues commands while disconnected: the storage then counts in memory until the
 * connection is back (see RateLimitStorage), instead of holding requests.
 */
@Injectable()
export class RateLimitRedis implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  readonly client?: Redis;
  private lastError = 0;

  constructor(config: ConfigService<AllConfig, true>) {
    const url = config.getOrThrow('governance', { infer: true }).redisUrl;
    if (!url) return;
    this.client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      // How long disconnect() waits for a socket to close; the default 2 s holds a shutdown up needlessly.
      disconnectTimeout: 500,
      connectionName: 'usdt-manager-rate-limits',
    });
    this.client.on('error', (err: Error) => {
      if (Date.now() - this.lastError < 30_000) return;
      this.lastError = Date.now();
      this.logger.error({ err }, 'Redis for rate limits unreachable: counting per instance until it is back');
    });
  }

  /** A Redis that is down at start-up does not stop the service; the client keeps reconnecting. */
  async onModuleInit(): Promise<void> {
    try {
      await this.client?.connect();
    } catch {
      // Reported by the 'error' listener.
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
