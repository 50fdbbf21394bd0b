import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Connection } from 'mongoose';

import { DatabaseEngine } from '@app/database';

const PING_TIMEOUT_MS = 2_000;

/** The database answers a ping within two seconds. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @InjectConnection() private readonly connection: Connection,
    private readonly engine: DatabaseEngine,
  ) {}

  async check(key = 'database') {
    const session = this.indicator.check(key);
    const started = Date.now();
    try {
      const db = this.connection.db;
      if (!db) return session.down({ engine: this.engine.kind, message: 'not connected' });
      await withTimeout(db.admin().ping(), PING_TIMEOUT_MS);
      return session.up({ engine: this.engine.kind, latencyMs: Date.now() - started });
    } catch (err) {
      return session.down({ engine: this.engine.kind, message: (err as Error).message });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
