import { Injectable, Logger, BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AllConfig } from '@app/config';

import { ExpireApprovals } from './expire-approvals';

/** Runs the approval expiry on a timer on every instance (the guarded move makes that safe). */
@Injectable()
export class ApprovalSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ApprovalSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly expireApprovals: ExpireApprovals,
    private readonly config: ConfigService<AllConfig, true>,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.getOrThrow('governance.approvalSweepMs', { infer: true });
    this.timer = setInterval(() => {
      this.running ??= this.expireApprovals
        .sweep()
        .catch((err: unknown) => this.logger.error({ err }, 'approval sweep failed'))
        .finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
