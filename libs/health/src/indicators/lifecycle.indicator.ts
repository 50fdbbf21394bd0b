import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

import { ShutdownState } from '../shutdown-state';

/** Down once shutdown has begun, so readiness drains the instance before it stops. */
@Injectable()
export class LifecycleHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
  ) {}

  check(key = 'lifecycle') {
    const session = this.indicator.check(key);
    return this.shutdown.isShuttingDown
      ? session.down({ message: 'shutting down' })
      : session.up({ uptimeSeconds: Math.round(process.uptime()) });
  }
}
