import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

import { Transfer, TransferStatus } from '../domain/transfer';

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

/**
 * Where every state change is announced: metrics and a structured log line today; the audit trail and
 * webhooks subscribe here.
 */
@Injectable()
export class TransferEvents {
  private readonly logger = new Logger('Transfers');
  private readonly listeners: Array<(transfer: Transfer, from?: TransferStatus) => Promise<void> | void> = [];

  constructor(
    @InjectMetric(TRANSFER_TRANSITIONS) private readonly transitions: Counter<string>,
    @InjectMetric(TRANSFER_TIME_TO_BROADCAST) private readonly toBroadcast: Histogram<string>,
    @InjectMetric(TRANSFER_TIME_TO_CONFIRM) private readonly toConfirm: Histogram<string>,
  ) {}

  /** Other modules (audit, webhooks) subscribe to every transition. */
  subscribe(listener: (transfer: Transfer, from?: TransferStatus) => Promise<void> | void): void {
    this.listeners.push(listener);
  }

  created(transfer: Transfer): void {
    this.transitions.inc({ kind: transfer.kind, status: transfer.status });
    this.notify(transfer);
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
    this.notify(transfer, from);
  }

  private notify(transfer: Transfer, from?: TransferStatus): void {
    for (const listener of this.listeners) {
      Promise.resolve(listener(transfer, from)).catch((err: unknown) =>
        this.logger.error({ err, transferId: transfer.id }, 'transfer listener failed'),
      );
    }
  }
}
