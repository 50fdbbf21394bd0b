import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';

import { AuditTrail } from '@app/audit';
import type { AuthUser } from '@app/auth';
import { AppError, ErrorCode, RecentReads } from '@app/common';
import { PolicyStore } from '@app/policies';

import { EmergencyState, EmergencyStateRepository } from './emergency-state.repository';

export const EMERGENCY_STOP_ACTIVE = 'usdt_emergency_stop_active';

export const emergencyMetricProviders = [
  makeGaugeProvider({
    name: EMERGENCY_STOP_ACTIVE,
    help: '1 while the emergency stop holds all signing and broadcasting, else 0',
  }),
];

export interface ResumeOutcome {
  state: EmergencyState;
  resumed: boolean;
  /** Distinct admins still needed before signing resumes. */
  votesNeeded: number;
}

/** Concurrent stop/resume requests retry their compare-and-set this many times before answering 601. */
const MAX_ATTEMPTS = 8;

/** The one key of the emergency state (a single document). */
const STATE = 'emergency';

/**
 * The emergency stop: any admin halts all signing and broadcasting at once, across instances; resuming needs
 * `approvals.workflows.emergency.resumeQuorum` distinct admins. The state lives in the database; `state()`
 * reads it fresh, `recentState(maxAgeMs)` answers from a read that started less than `maxAgeMs` ago
 * (RecentReads), so the pipeline costs one read per interval, not one per step. This instance's own
 * stop/resume replaces the held state at once; a read that started before it cannot overwrite it.
 */
@Injectable()
export class EmergencyStop {
  private readonly logger = new Logger(EmergencyStop.name);

  constructor(
    private readonly states: EmergencyStateRepository,
    private readonly policies: PolicyStore,
    private readonly audit: AuditTrail,
    @InjectMetric(EMERGENCY_STOP_ACTIVE) private readonly activeGauge: Gauge<string>,
  ) {}

  private readonly reads = new RecentReads<typeof STATE, EmergencyState>(
    () => this.states.read(),
    (_key, state) => this.activeGauge.set(state.active ? 1 : 0),
  );

  state(): Promise<EmergencyState> {
    return this.reads.fresh(STATE);
  }

  /** The state as read at most `maxAgeMs` ago (read start to now), with at most one read in flight. */
  recentState(maxAgeMs: number): Promise<EmergencyState> {
    return this.reads.recent(STATE, maxAgeMs);
  }

  async stop(caller: AuthUser, reason: string): Promise<EmergencyState> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = await this.state();
      // Pressing the button again while stopped changes nothing: the first stop and its reason stand.
      if (before.active) return before;
      const next: Omit<EmergencyState, 'revision'> = {
        active: true,
        reason,
        stoppedBy: caller.sub,
        stoppedAt: new Date(),
        resumeVotes: [],
      };
      if (await this.states.write(before.revision, next)) {
        this.reads.put(STATE, { ...next, revision: before.revision + 1 });
        this.logger.warn({ by: caller.sub }, 'EMERGENCY STOP: signing and broadcasting halted');
        await this.audit.record({
          action: 'emergency.stop',
          subject: { type: 'emergency', id: 'emergency' },
          before: { active: false },
          after: { active: true, reason },
        });
        return this.state();
      }
    }
    throw new AppError(ErrorCode.WRITE_CONFLICT, 'The emergency state is changing concurrently; try again');
  }

  async requestResume(caller: AuthUser, comment?: string): Promise<ResumeOutcome> {
    const { resumeQuorum } = (await this.policies.current()).approvals.emergency;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = await this.state();
      if (!before.active) {
        throw new AppError(ErrorCode.INVALID_STATE, 'No emergency stop is active');
      }
      if (before.resumeVotes.some((vote) => vote.by === caller.sub)) {
        throw new AppError(ErrorCode.INVALID_STATE, 'You already asked to resume; another admin must agree', [
          { field: 'resumeVotes', message: `${before.resumeVotes.length} of ${resumeQuorum}` },
        ]);
      }
      const votes = [...before.resumeVotes, { by: caller.sub, at: new Date(), ...(comment && { comment }) }];
      const resumed = votes.length >= resumeQuorum;
      const next: Omit<EmergencyState, 'revision'> = {
        active: !resumed,
        reason: before.reason,
        stoppedBy: before.stoppedBy,
        stoppedAt: before.stoppedAt,
        resumeVotes: votes,
        ...(resumed && { resumedAt: new Date() }),
      };
      if (await this.states.write(before.revision, stripUndefined(next))) {
        this.reads.put(STATE, { ...stripUndefined(next), revision: before.revision + 1 });
        await this.audit.record({
          action: resumed ? 'emergency.resume' : 'emergency.resume_vote',
          subject: { type: 'emergency', id: 'emergency' },
          before: { active: true, resumeVotes: before.resumeVotes.map((vote) => vote.by) },
          after: { active: !resumed, resumeVotes: votes.map((vote) => vote.by) },
          details: comment ? { comment } : undefined,
        });
        if (resumed) this.logger.warn({ by: votes.map((vote) => vote.by) }, 'emergency stop lifted');
        return {
          state: await this.state(),
          resumed,
          votesNeeded: Math.max(0, resumeQuorum - votes.length),
        };
      }
    }
    throw new AppError(ErrorCode.WRITE_CONFLICT, 'The emergency state is changing concurrently; try again');
  }
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
