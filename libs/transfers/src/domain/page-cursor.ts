/**
 * The cursor of a transfer listing: where the previous page ended, as `<createdAt ms>_<id>`. Plain enough
 * that its OpenAPI pattern says exactly which strings are cursors: any string matching it is a position in
 * the newest-first order (possibly past the end), never an error.
 */
export const TRANSFER_CURSOR_PATTERN =
  /^[0-9]{1,15}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface TransferPosition {
  createdAt: Date;
  id: string;
}

export function encodeTransferCursor(position: TransferPosition): string {
  return `${position.createdAt.getTime()}_${position.id}`;
}

/** undefined for a string that is not a cursor (the DTO refuses those before a use case sees them). */
export function decodeTransferCursor(cursor: string): TransferPosition | undefined {
  if (!TRANSFER_CURSOR_PATTERN.test(cursor)) return undefined;
  const [ms, id] = cursor.split('_');
  return { createdAt: new Date(Number(ms)), id };
}
