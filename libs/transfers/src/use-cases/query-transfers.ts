import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode } from '@app/common';

import { decodeTransferCursor, encodeTransferCursor, TransferPosition } from '../domain/page-cursor';
import { Transfer } from '../domain/transfer';
import { TransferListQuery, TransferRepository } from '../persistence/transfer.repository';

/** The repository's query with the cursor as the opaque string the API hands out. */
export type TransferListFilter = Omit<TransferListQuery, 'cursor'> & { cursor?: string };

/** Reads of our own records: one transfer, or a page of them newest first with an opaque cursor. */
@Injectable()
export class QueryTransfers {
  constructor(private readonly transfers: TransferRepository) {}

  async get(id: string): Promise<Transfer> {
    const transfer = await this.transfers.findById(id);
    if (!transfer) throw new AppError(ErrorCode.TRANSFER_NOT_FOUND);
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
