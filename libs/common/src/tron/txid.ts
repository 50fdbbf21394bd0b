import { createHash } from 'node:crypto';

/** A TRON transaction id: sha256 of the protobuf-serialized raw_data (given as hex). */
export function txIdOf(rawDataHex: string): string {
  return createHash('sha256').update(Buffer.from(rawDataHex, 'hex')).digest('hex');
}
