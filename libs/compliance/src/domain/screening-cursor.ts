import { TRON_ADDRESS_PATTERN } from '@app/common';

import { ScreeningList } from './screening';

/**
 * The cursor of the screening listing: the last entry of the previous page, as `<list>_<address>`. Any
 * string matching the pattern is a position in list-then-address order (possibly past the end).
 */
export const SCREENING_CURSOR_PATTERN = new RegExp(`^(block|allow)_${TRON_ADDRESS_PATTERN.slice(1)}`);

export interface ScreeningPosition {
  list: ScreeningList;
  address: string;
}

export function encodeScreeningCursor(position: ScreeningPosition): string {
  return `${position.list}_${position.address}`;
}

/** undefined for a string that is not a cursor (the DTO refuses those before a use case sees them). */
export function decodeScreeningCursor(cursor: string): ScreeningPosition | undefined {
  if (!SCREENING_CURSOR_PATTERN.test(cursor)) return undefined;
  const [list, address] = cursor.split('_') as [ScreeningList, string];
  return { list, address };
}
