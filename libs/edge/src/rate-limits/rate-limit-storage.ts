import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';

import { MemoryRateLimitCounters } from './memory-rate-limit-counters';
import { RateLimitRedis } from './rate-limit-redis';

type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Rate-limit counters: in Redis when it is configured (shared by every instance), in memory otherwise. When
 * Redis fails a request is counted in memory instead, so limits still hold per instance during the outage.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly memory = new MemoryRateLimitCounters();
  private readonly shared?: ThrottlerStorageRedisService;
  private lastWarning = 0;

  constructor(redis: RateLimitRedis) {
    if (redis.client) this.shared = new ThrottlerStorageRedisService(redis.client);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<StorageRecord> {
    if (this.shared) {
      try {
        return await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
      } catch (err) {
        if (Date.now() - this.lastWarning > 30_000) {
          this.lastWarning = Date.now();
          this.logger.warn({ err }, 'Redis rate-limit counter failed: counting in memory');
        }
      }
    }
    return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.memory.stop();
  }
}
