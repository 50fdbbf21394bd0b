import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

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
export class PolicyProposalSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PolicyProposalSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly proposals: PolicyProposalRepository,
    private readonly store: PolicyStore,
    private readonly reconcile: ReconcileProposal,
    private readonly config: ConfigService<AllConfig, true>,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.getOrThrow('governance.approvalSweepMs', { infer: true });
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((err: unknown) => this.logger.error({ err }, 'policy proposal sweep failed'))
        .finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(now = new Date()): Promise<void> {
    const pending = await this.proposals.list({ status: 'pending', limit: SWEEP_BATCH });
    if (pending.length === 0) return;
    const inForce = await this.store.latest();
    for (const proposal of pending) await this.reconcile.execute(proposal, inForce, now);
  }
}
