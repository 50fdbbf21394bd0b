import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode } from '@app/common';

import { ScreeningEntry, ScreeningList } from '../domain/screening';
import { decodeScreeningCursor, encodeScreeningCursor, ScreeningPosition } from '../domain/screening-cursor';
import { ScreeningListRepository } from '../persistence/screening-list.repository';

export interface ScreeningPage {
  items: ScreeningEntry[];
  nextCursor: string | null;
}

/** GET /compliance/screening: one list or both, in list then address order, with an opaque cursor. */
@Injectable()
export class ListScreeningEntries {
  constructor(private readonly lists: ScreeningListRepository) {}

  async execute(query: { list?: ScreeningList; limit: number; cursor?: string }): Promise<ScreeningPage> {
    const items = await this.lists.page({
      list: query.list,
      limit: query.limit + 1,
      after: decodeCursor(query.cursor),
    });
    const page = items.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > query.limit && last ? encodeCursor(last) : null };
  }
}

function encodeCursor(entry: ScreeningEntry): string {
  return encodeScreeningCursor(entry);
}

function decodeCursor(cursor: string | undefined): ScreeningPosition | undefined {
  if (!cursor) return undefined;
  const position = decodeScreeningCursor(cursor);
  if (!position) {
    throw new AppError(ErrorCode.INVALID_QUERY, 'cursor is not one this service returned', [
      { field: 'cursor', message: 'invalid' },
    ]);
  }
  return position;
}
