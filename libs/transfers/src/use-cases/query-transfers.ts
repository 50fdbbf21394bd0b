import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

import { AppError, ErrorCode } from '@app/common';

import { decodeTransferCursor, encodeTransferCursor, TransferPosition } from '../domain/page-cursor';
import { isFinal, Transfer } from '../domain/transfer';
import { TransferListQuery, TransferRepository } from '../persistence/transfer.repository';

/** The repository's query with the cursor as the opaque string the API hands out. */
export type TransferListFilter = Omit<TransferListQuery, 'cursor'> & { cursor?: string };

/**
 * Finished transfers kept in memory: enough for a reconciliation pass over a payroll file of 10,000, about
 * 26 MB of heap for confirmed payouts with their signed transaction, history and approval record.
 */
const FINISHED_KEPT = 10_000;

/** Reads of our own records: one transfer, or a page of them newest first with an opaque cursor. */
@Injectable()
export class QueryTransfers {
  /**
   * Transfers in a final state as last read. Nothing changes one any more, on any instance (see `isFinal`),
   * so a client polling or reconciling finished payouts costs no database read; those still under way are
   * read every time.
   */
  private readonly finished = new LRUCache<string, Transfer>({ max: FINISHED_KEPT });

  constructor(private readonly transfers: TransferRepository) {}

  async get(id: string): Promise<Transfer> {
    const kept = this.finished.get(id);
    if (kept) return kept;
    const transfer = await this.transfers.findById(id);
    if (!transfer) throw new AppError(ErrorCode.TRANSFER_NOT_FOUND);
    if (isFinal(transfer.status)) this.finished.set(id, transfer);
    return transfer;
  }

  findByTxid(txid: string): Promise<Transfer | null> {
    return this.transfers.findByTxid(txid);
  }

  async list(filter: TransferListFilter): Promise<{ items: Transfer[]; nextCursor: string | null }> {
    const items = await this.transfers.list({
      ...filter,
      cursor: decodeCursor(filter.cursor),
      limit: filter.limit + 1,
    });
    const page = items.slice(0, filter.limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > filter.limit && last ? encodeCursor(last) : null };
  }
}

function encodeCursor(transfer: Transfer): string {
  return encodeTransferCursor(transfer);
}

function decodeCursor(cursor: string | undefined): TransferPosition | undefined {
  if (!cursor) return undefined;
  const position = decodeTransferCursor(cursor);
  if (!position) {
    throw new AppError(ErrorCode.INVALID_QUERY, 'cursor is not one this service returned', [
      { field: 'cursor', message: 'invalid' },
    ]);
  }
  return position;
}
