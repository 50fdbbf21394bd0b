import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

import { Transfer, TransferStatus } from '../domain/transfer';
import { EventDeliveries } from './event-deliveries';

export const TRANSFER_TRANSITIONS = 'usdt_transfer_transitions_total';
export const TRANSFER_TIME_TO_BROADCAST = 'usdt_transfer_time_to_broadcast_seconds';
export const TRANSFER_TIME_TO_CONFIRM = 'usdt_transfer_time_to_confirm_seconds';

export const transferMetricProviders = [
  makeCounterProvider({
    name: TRANSFER_TRANSITIONS,
    help: 'Transfers entering each status, by kind',
    labelNames: ['kind', 'status'],
  }),
  makeHistogramProvider({
    name: TRANSFER_TIME_TO_BROADCAST,
    help: 'Seconds from request to first accepted broadcast',
    labelNames: ['kind'],
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
  }),
  makeHistogramProvider({
    name: TRANSFER_TIME_TO_CONFIRM,
    help: 'Seconds from request to solidified confirmation',
    labelNames: ['kind'],
    buckets: [5, 15, 30, 60, 90, 120, 300, 900, 3600],
  }),
];

type Listener = (transfer: Transfer, from?: TransferStatus) => Promise<void> | void;

/**
 * Where every state change is announced: metrics and a structured log line; the audit trail (and webhooks)
 * subscribe here.
 *
 * Each event is a history entry of the transfer, written in the same update as the move it records (the
 * transfer is its own outbox), so a crash between the move and its subscribers cannot lose it: once every
 * subscriber has taken an event, it is marked delivered (EventDeliveries); one that is not is delivered again
 * by TransferEventRedelivery. Subscribers therefore get each event at least once, and the event number
 * (`transfer.history.length`) tells a repeat.
 */
@Injectable()
export class TransferEvents implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Transfers');
  private readonly listeners: Listener[] = [];
  /** Events handed to the subscribers whose outcome is not known yet. */
  private readonly delivering = new Set<Promise<boolean>>();

  constructor(
    @InjectMetric(TRANSFER_TRANSITIONS) private readonly transitions: Counter<string>,
    @InjectMetric(TRANSFER_TIME_TO_BROADCAST) private readonly toBroadcast: Histogram<string>,
    @InjectMetric(TRANSFER_TIME_TO_CONFIRM) private readonly toConfirm: Histogram<string>,
    private readonly deliveries: EventDeliveries,
  ) {}

  /** Other modules (audit, webhooks) subscribe to every transition. */
  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  created(transfer: Transfer): void {
    this.transitions.inc({ kind: transfer.kind, status: transfer.status });
    void this.notify(transfer);
  }

  moved(transfer: Transfer, from: TransferStatus): void {
    this.transitions.inc({ kind: transfer.kind, status: transfer.status });
    const seconds = (Date.now() - transfer.createdAt.getTime()) / 1000;
    if (transfer.status === 'broadcast') this.toBroadcast.observe({ kind: transfer.kind }, seconds);
    if (transfer.status === 'confirmed') this.toConfirm.observe({ kind: transfer.kind }, seconds);
    this.logger.log(
      {
        transferId: transfer.id,
        from,
        to: transfer.status,
        txid: transfer.tx?.txid,
        code: transfer.failure?.code,
      },
      `transfer ${from} -> ${transfer.status}`,
    );
    void this.notify(transfer, from);
  }

  /**
   * An event a subscriber may not have had (found undelivered after a crash): `transfer` as of that event,
   * its history ending with it. Subscribers only: its metrics and log line were made when it happened.
   */
  redeliver(transfer: Transfer, from?: TransferStatus): Promise<boolean> {
    return this.notify(transfer, from);
  }

  /**
   * At shutdown, after the producers stopped (their destroy hooks): the events under way reach their
   * subscribers (the audit trail and the counters keep writing until the database closes), then their marks
   * are written. Otherwise a mark taken after the marks' last flush is lost, and the event is delivered again
   * after the restart (a second audit record of it).
   */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.delivering.size) await Promise.all(this.delivering);
    await this.deliveries.drain();
  }

  /** Resolves true once every subscriber has taken the event, which is then marked delivered. */
  private notify(transfer: Transfer, from?: TransferStatus): Promise<boolean> {
    const delivery = this.deliver(transfer, from);
    this.delivering.add(delivery);
    void delivery.then(() => this.delivering.delete(delivery));
    return delivery;
  }

  private async deliver(transfer: Transfer, from?: TransferStatus): Promise<boolean> {
    // Each subscriber is called now, in the caller's step, so that one transfer's events reach it in order.
    const taken = this.listeners.map((listener) => {
      try {
        return Promise.resolve(listener(transfer, from));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    const results = await Promise.allSettled(taken);
    const failures = results.filter((result) => result.status === 'rejected');
    for (const failure of failures) {
      this.logger.error(
        { err: failure.reason as unknown, transferId: transfer.id },
        'transfer listener failed; the event will be delivered again',
      );
    }
    if (failures.length) return false;
    this.deliveries.delivered(transfer.id, transfer.history.length);
    return true;
  }
}
