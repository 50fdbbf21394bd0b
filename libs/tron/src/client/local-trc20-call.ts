import { TronWeb, utils as tronUtils } from 'tronweb';

import { AppError, ErrorCode } from '@app/common';

import { BlockRef, UnsignedTransaction } from './tron.types';

/** java-tron refuses a transaction whose expiration is more than this past its reference block. */
export const MAX_EXPIRATION_MS = 24 * 60 * 60_000;
export const DEFAULT_EXPIRATION_MS = 60_000;

export interface LocalTriggerParts {
  /** base58 */
  owner: string;
  /** base58 */
  contract: string;
  /** selector + ABI parameters, hex without 0x */
  data: string;
  feeLimit: number;
  refBlock: BlockRef;
  expirationMs: number;
  now: number;
}

/**
 * TAPOS reference of a block: ref_block_bytes are bytes 6..8 of the 8-byte big-endian number (its low two
 * bytes), ref_block_hash bytes 8..16 of the blockID. The node checks both against its own block of that height.
 */
export function taposOf(block: BlockRef): { bytes: string; hash: string } {
  if (!/^[0-9a-f]{64}$/i.test(block.id) || !Number.isSafeInteger(block.number) || block.number < 0) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, 'refBlock must have a number and a 64-hex blockID');
  }
  return {
    bytes: (block.number & 0xffff).toString(16).padStart(4, '0'),
    hash: block.id.slice(16, 32).toLowerCase(),
  };
}

/**
 * A TriggerSmartContract transaction serialised without asking a node: TronWeb's protobuf encoder makes
 * raw_data_hex and the txID (sha256 of those bytes), so the bytes are exactly what a node would have built.
 */
export function buildTriggerLocally(parts: LocalTriggerParts): UnsignedTransaction {
  if (
    !Number.isSafeInteger(parts.expirationMs) ||
    parts.expirationMs <= 0 ||
    parts.expirationMs > MAX_EXPIRATION_MS
  ) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, 'expirationMs must be between 1 ms and 24 h');
  }
  const tapos = taposOf(parts.refBlock);
  const raw_data = {
    contract: [
      {
        parameter: {
          value: {
            data: parts.data,
            owner_address: TronWeb.address.toHex(parts.owner),
            contract_address: TronWeb.address.toHex(parts.contract),
          },
          type_url: 'type.googleapis.com/protocol.TriggerSmartContract',
        },
        type: 'TriggerSmartContract',
      },
    ],
    ref_block_bytes: tapos.bytes,
    ref_block_hash: tapos.hash,
    expiration: parts.refBlock.timestamp + parts.expirationMs,
    fee_limit: parts.feeLimit,
    timestamp: parts.now,
  };
  const { transaction } = tronUtils;
  // TronWeb types the protobuf message as any; it is only passed back to TronWeb's own helpers.
  const pb: unknown = transaction.txJsonToPb({ raw_data, visible: false });
  const raw_data_hex = transaction.txPbToRawDataHex(pb).toLowerCase();
  const txID = transaction.txPbToTxID(pb).replace(/^0x/, '').toLowerCase();
  return {
    txID,
    raw_data,
    raw_data_hex,
    visible: false,
    expiration: raw_data.expiration,
    refBlock: tapos,
  };
}
