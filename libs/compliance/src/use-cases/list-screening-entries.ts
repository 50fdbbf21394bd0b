import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode } from '@app/common';

import { isScreeningList, ScreeningEntry, ScreeningList } from '../domain/screening';
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
  return Buffer.from(JSON.stringify([entry.list, entry.address])).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { list: ScreeningList; address: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [list, address] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (!isScreeningList(list) || typeof address !== 'string') throw new Error('bad cursor');
    return { list, address };
  } catch {
    throw new AppError(ErrorCode.INVALID_QUERY, 'cursor is not one this service returned', [
      { field: 'cursor', message: 'invalid' },
    ]);
  }
}
