import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { IntervalTask } from '@app/common';
import { AllConfig } from '@app/config';

import { PolicyProposalRepository } from '../persistence/policy-proposal.repository';
import { PolicyStore } from '../policy-store';
import { ReconcileProposal } from './reconcile-proposal';

/** Pending proposals looked at per sweep; the rest wait for the next one. */
const SWEEP_BATCH = 100;

/**
 * Closes pending proposals that expired or were superseded even when nobody reads them, so the audit trail
 * records the expiry near the time it happened. Runs with the approval sweep interval on every instance;
 * the guarded close records each outcome once.
 */
@Injectable()
export class PolicyProposalSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PolicyProposalSweeper.name);
  private readonly task = new IntervalTask(
    () => this.sweep(),
    (err) => this.logger.error({ err }, 'policy proposal sweep failed'),
  );

  constructor(
    private readonly proposals: PolicyProposalRepository,
    private readonly store: PolicyStore,
    private readonly reconcile: ReconcileProposal,
    private readonly config: ConfigService<AllConfig, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.getOrThrow('governance.approvalSweepMs', { infer: true }));
  }

  // First of the shutdown, so that what it decides is audited while the writers still flush.
  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  async sweep(now = new Date()): Promise<void> {
    const pending = await this.proposals.list({ status: 'pending', limit: SWEEP_BATCH });
    if (pending.length === 0) return;
    const inForce = await this.store.latest();
    for (const proposal of pending) await this.reconcile.execute(proposal, inForce, now);
  }
}
