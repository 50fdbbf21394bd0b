import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { IntervalTask } from '@app/common';
import { AllConfig } from '@app/config';

import { ExpireApprovals } from './expire-approvals';

/** Runs the approval expiry on a timer on every instance (the guarded move makes that safe). */
@Injectable()
export class ApprovalSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ApprovalSweeper.name);
  private readonly task = new IntervalTask(
    () => this.expireApprovals.sweep(),
    (err) => this.logger.error({ err }, 'approval sweep failed'),
  );

  constructor(
    private readonly expireApprovals: ExpireApprovals,
    private readonly config: ConfigService<AllConfig, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.getOrThrow('governance.approvalSweepMs', { infer: true }));
  }

  // First of the shutdown: what it expires is announced and audited while the writers still flush.
  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }
}
