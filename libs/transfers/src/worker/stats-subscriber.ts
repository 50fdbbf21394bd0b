import { Injectable, OnModuleInit } from '@nestjs/common';

import { Transfer, TransferStatus } from '../domain/transfer';
import { TransferStatsCounters } from '../persistence/transfer-stats-counters';
import { TransferEvents } from './transfer-events';

/**
 * Moves the stats counters with every transfer event. A subscriber like the audit trail: its update must be
 * stored before the event counts as delivered, so a crash before it leads to redelivery, and the counters'
 * applied sets make the repeat count once. Transfers created before counting started are left to GET /stats's
 * read of the transfers themselves.
 */
@Injectable()
export class StatsSubscriber implements OnModuleInit {
  private since: Promise<Date> | undefined;

  constructor(
    private readonly events: TransferEvents,
    private readonly counters: TransferStatsCounters,
  ) {}

  /**
   * Counting starts before the app takes requests (Nest awaits this before listening), so the first transfer
   * ever created is counted: a start recorded by its own event would come after its creation.
   */
  async onModuleInit(): Promise<void> {
    this.events.subscribe((transfer) => this.count(transfer));
    // A database away at start only delays it: the first event or GET /stats records it then.
    await this.countingSince().catch(() => undefined);
  }

  /** When counting started (read once, recorded by the first instance). */
  countingSince(): Promise<Date> {
    this.since ??= this.counters.since().catch((err: unknown) => {
      this.since = undefined;
      throw err;
    });
    return this.since;
  }

  /**
   * The status moved from is the history's entry before this event, written with the move: a caller's idea
   * of it could be stale when a move is allowed from several statuses.
   */
  private async count(transfer: Transfer): Promise<void> {
    if (transfer.createdAt < (await this.countingSince())) return;
    const events = transfer.history.length;
    const from: TransferStatus | undefined = transfer.history[events - 2]?.status;
    await this.counters.apply({
      transferId: transfer.id,
      event: events,
      day: transfer.createdAt.toISOString().slice(0, 10),
      kind: transfer.kind,
      amountRaw: transfer.amountRaw,
      from,
      to: transfer.status,
    });
  }
}
