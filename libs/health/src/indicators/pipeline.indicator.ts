import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

import { IN_FLIGHT_STATUSES, PipelineContext, TIMED_WAIT_CODES, TransferRepository } from '@app/transfers';

/**
 * Statuses the worker still has to move forward. `pending_approval` is left out on purpose: it waits for a
 * human, not for the pipeline, so a transfer parked there for a day is not a stuck pipeline.
 */

/**
 * Down when an in-flight transfer has not changed for longer than TRANSFER_STUCK_AFTER_MS: the worker is
 * stopped, wedged on a lease, or the node keeps refusing it. Only on /health: a stuck transfer needs an
 * operator, and taking the instance out of rotation would not unstick it. Also reports the transfers waiting
 * for funds or an unpaused token (`waiting`): how many, for what, and since when the oldest waits; they fail
 * by themselves after TRANSFER_MAX_WAIT_MS, so they inform rather than fail the check.
 */
@Injectable()
export class PipelineHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly transfers: TransferRepository,
    private readonly context: PipelineContext,
  ) {}

  async check(key = 'pipeline') {
    const session = this.indicator.check(key);
    const stuckAfterMs = this.context.settings.stuckAfterMs;
    try {
      const [inFlight, oldest, waitingSummary] = await Promise.all([
        this.transfers.countByStatus(IN_FLIGHT_STATUSES),
        this.transfers.oldestUpdateIn(IN_FLIGHT_STATUSES),
        this.transfers.waitingSummary(TIMED_WAIT_CODES),
      ]);
      const oldestAgeMs = oldest ? Math.max(0, Date.now() - oldest.getTime()) : null;
      const waiting = {
        total: waitingSummary.total,
        byCode: waitingSummary.byCode,
        oldestSince: waitingSummary.oldestSince?.toISOString() ?? null,
        oldestWaitMs: waitingSummary.oldestSince
          ? Math.max(0, Date.now() - waitingSummary.oldestSince.getTime())
          : null,
        maxWaitMs: this.context.settings.maxWaitMs,
      };
      const details = { inFlight, oldestAgeMs, stuckAfterMs, waiting };
      if (oldestAgeMs !== null && oldestAgeMs > stuckAfterMs) {
        return session.down({ ...details, message: `a transfer has not progressed for ${oldestAgeMs} ms` });
      }
      return session.up(details);
    } catch (err) {
      return session.down({ stuckAfterMs, message: (err as Error).message });
    }
  }
}
