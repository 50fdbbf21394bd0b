import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

import { TronNodeState } from '../node/tron-node-state';

/**
 * The TRON node answers and its head advances (see TronNodeState). On /health only, where a down node makes
 * the service `degraded` with the reason: it is not part of readiness, because the read, approval and audit
 * API still serve without it.
 */
@Injectable()
export class TronNodeHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly state: TronNodeState,
  ) {}

  async check(key = 'tronNode') {
    const session = this.indicator.check(key);
    const node = await this.state.snapshot();
    const details = {
      host: node.host,
      headNumber: node.headNumber,
      headAgeMs: node.headAgeMs,
      maxHeadAgeMs: node.maxHeadAgeMs,
    };
    return node.up ? session.up(details) : session.down({ ...details, message: node.reason });
  }
}
