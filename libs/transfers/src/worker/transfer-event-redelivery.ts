import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { Transfer, TransferStatus } from '../domain/transfer';
import { TransferRepository } from '../persistence/transfer.repository';
import { PipelineContext } from './pipeline-context';
import { TransferEvents } from './transfer-events';

/** Transfers taken per sweep; more wait for the next one. */
const PER_SWEEP = 100;

/**
 * Delivers again the transfer events that did not reach every subscriber: the instance that made them died
 * before its subscribers (the audit trail) had them, or a subscriber failed. Runs on every instance, every
 * `eventRedeliverAfterMs`, on transfers whose last event is at least that old (a transfer the pipeline keeps
 * rechecking, waiting for funds, counts as quiet: its leases are not events); a transfer is taken with a
 * guarded write first, so two instances do not both deliver it. Its unmarked events are delivered in order,
 * each as the transfer stood then, as far as the document tells (`asOfEvent`). A transfer whose
 * events are all marked (the marks came out of order) or that was stored before deliveries were recorded
 * only stops being pending.
 *
 * MongoDB serves its query from an index of the few pending transfers; so does the embedded engine.
 */
@Injectable()
export class TransferEventRedelivery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TransferEvents');
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly transfers: TransferRepository,
    private readonly events: TransferEvents,
    private readonly context: PipelineContext,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .then((redelivered) => {
          if (redelivered)
            this.logger.log({ redelivered }, `delivered ${redelivered} transfer event(s) again`);
        })
        .catch((err: unknown) => this.logger.warn({ err }, 'transfer event redelivery failed; trying again'))
        .finally(() => (this.sweeping = undefined));
    }, this.context.settings.eventRedeliverAfterMs);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** One pass; returns how many events were delivered again. */
  async sweep(): Promise<number> {
    const quietSince = new Date(Date.now() - this.context.settings.eventRedeliverAfterMs);
    let redelivered = 0;
    for (const transfer of await this.transfers.findUndeliveredEvents(quietSince, PER_SWEEP)) {
      if (await this.transfers.claimRedelivery(transfer)) redelivered += await this.redeliver(transfer);
    }
    return redelivered;
  }

  /** Stops at an event a subscriber refused: the later ones wait behind it for the next sweep. */
  private async redeliver(transfer: Transfer): Promise<number> {
    const delivered = new Set(transfer.deliveredEvents ?? []);
    const missing = transfer.deliveredEvents
      ? transfer.history.map((_, i) => i + 1).filter((event) => !delivered.has(event))
      : [];
    if (!missing.length) {
      await this.transfers.settleDeliveredEvents(transfer);
      return 0;
    }
    let redelivered = 0;
    for (const event of missing) {
      const asOf = asOfEvent(transfer, event);
      if (!(await this.events.redeliver(asOf, transfer.history[event - 2]?.status))) break;
      redelivered++;
    }
    return redelivered;
  }
}

/** Statuses whose event was made with the signed transaction the transfer holds, unless it was replaced. */
const SIGNED: ReadonlySet<TransferStatus> = new Set(['signed', 'broadcast']);

/**
 * The transfer as its `event`-th event left it: status and history then; for its latest event, everything as
 * stored. An earlier event does not get what changed after it (the audit trail records `tx` and `failure`):
 * no failure (failing is final, so always the latest event), and the transaction only for a signed or
 * broadcast event while no replacement was signed since (which one it had then is not stored).
 */
export function asOfEvent(transfer: Transfer, event: number): Transfer {
  const history = transfer.history.slice(0, event);
  const status = history[event - 1].status;
  if (event === transfer.history.length) return { ...transfer, status, history };
  const sameTx = SIGNED.has(status) && transfer.supersededTxids.length === 0;
  return { ...transfer, status, history, tx: sameTx ? transfer.tx : undefined, failure: undefined };
}
