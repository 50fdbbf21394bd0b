import { Injectable, Logger } from '@nestjs/common';

import { EventMark, TransferRepository } from '../persistence/transfer.repository';

/** How long a delivery mark waits for others to join its write: a busy second's marks share a few commands. */
export const DELIVERY_LINGER_MS = 100;
/** Marks written by one command at most. */
export const MAX_MARKS_PER_WRITE = 500;

/**
 * Writes down, in batches, that transfer events reached every subscriber (TransferEvents calls `delivered`).
 * A mark that is lost (a crash in the linger, a failed write) only means that event is delivered again by the
 * redelivery sweep: events are delivered at least once, never lost.
 *
 * Marks may arrive in any order (two instances work on one transfer); each batch is sorted by transfer and
 * event all the same, so that the mark completing a transfer's events usually comes last and ends its pending
 * state at once (otherwise the redelivery sweep does, without delivering anything again).
 */
@Injectable()
export class EventDeliveries {
  private readonly logger = new Logger('TransferEvents');
  private waiting: EventMark[] = [];
  private linger: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly transfers: TransferRepository) {}

  delivered(id: string, event: number): void {
    this.waiting.push({ id, event });
    if (this.waiting.length >= MAX_MARKS_PER_WRITE) this.flush();
    else this.linger ??= setTimeout(() => this.flush(), DELIVERY_LINGER_MS);
  }

  /**
   * Writes every mark taken so far and resolves once written. At shutdown TransferEvents calls it after the
   * deliveries still under way have ended, while the database is still connected.
   */
  async drain(): Promise<void> {
    this.flush();
    await this.writing;
  }

  private flush(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    const marks = this.waiting.splice(0, this.waiting.length);
    if (!marks.length) return;
    marks.sort((a, b) => (a.id === b.id ? a.event - b.event : a.id < b.id ? -1 : 1));
    this.writing = this.writing.then(() =>
      this.transfers.markEventsDelivered(marks).catch((err: unknown) => {
        this.logger.warn(
          { err, marks: marks.length },
          'could not record delivered transfer events; they will be delivered again',
        );
      }),
    );
  }
}
