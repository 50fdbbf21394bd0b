import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';

import { IN_FLIGHT_STATUSES, Transfer, TransferStatus } from '../domain/transfer';
import { TransferRepository } from '../persistence/transfer.repository';
import { OutgoingGate } from '../policy/transfer-policy';
import { DisabledWalletsHint } from './disabled-wallets-hint';
import { PipelineContext } from './pipeline-context';
import { PrepareAndSign } from './prepare-and-sign';
import { TrackOnChain } from './track-on-chain';

/**
 * The pipeline loops of this instance. Each loop claims one due transfer at a time with a lease and runs the
 * step for its status. Crash recovery needs no special code: a dead instance's leases expire and any live
 * instance resumes its transfers from the stored state (a stored signed transaction is re-sent, never rebuilt).
 */
const ALREADY_SIGNED: readonly TransferStatus[] = ['signed', 'broadcast'];

@Injectable()
export class TransferWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TransferWorker.name);
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly stop = new AbortController();

  constructor(
    private readonly transfers: TransferRepository,
    private readonly prepare: PrepareAndSign,
    private readonly tracker: TrackOnChain,
    private readonly context: PipelineContext,
    private readonly gate: OutgoingGate,
    private readonly disabledWallets: DisabledWalletsHint,
  ) {}

  onApplicationBootstrap(): void {
    const { workerEnabled, workerConcurrency } = this.context.settings;
    if (!workerEnabled) return;
    this.running = true;
    this.loops = Array.from({ length: workerConcurrency }, () => this.loop());
    this.logger.log(`pipeline started: ${workerConcurrency} loops as ${this.context.workerId}`);
  }

  /**
   * The first step of a shutdown (Nest's destroy hooks run before any before-shutdown hook): loops finish
   * their current step, so every move they make is announced before the audit trail, the stats counters and
   * the delivery marks flush (beforeApplicationShutdown), and all of it before the database closes.
   */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.stop.abort();
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let claimed: Transfer | null = null;
      try {
        claimed = await this.transfers.claimDue(
          await this.claimable(),
          this.context.workerId,
          this.context.settings.leaseMs,
          // Queued transfers of disabled wallets wait for admins: not claimed again until it is enabled.
          await this.disabledWallets.addresses(),
        );
        if (claimed) await this.step(claimed);
      } catch (err) {
        this.logger.error({ err, transferId: claimed?.id }, 'pipeline step failed');
      }
      if (!claimed && this.running)
        await sleep(this.context.settings.pollIntervalMs, undefined, { signal: this.stop.signal }).catch(
          () => undefined,
        );
    }
  }

  /**
   * While the emergency stop holds, queued transfers are not even claimed (the gate would refuse them at
   * signing anyway); transactions already signed are still followed on chain.
   */
  private async claimable(): Promise<readonly TransferStatus[]> {
    return (await this.gate.isOpen()) ? IN_FLIGHT_STATUSES : ALREADY_SIGNED;
  }

  private step(transfer: Transfer): Promise<void> {
    return transfer.status === 'approved' ? this.prepare.run(transfer) : this.tracker.run(transfer);
  }
}
