import { Types, utils } from 'tronweb';

/**
 * A real, unsigned TRX transfer built offline with TronWeb's own protobuf encoder, so its txID is the sha256
 * of its raw_data_hex exactly as a node would build it. For signer tests; nothing is broadcast.
 */
export function unsignedTransfer(from: string, to: string, amountSun = 1_000_000): Types.Transaction {
  const now = Date.now();
  const raw_data = {
    contract: [
      {
        type: 'TransferContract',
        parameter: {
          value: {
            owner_address: utils.address.toHex(from),
            to_address: utils.address.toHex(to),
            amount: amountSun,
          },
          type_url: 'type.googleapis.com/protocol.TransferContract',
        },
      },
    ],
    ref_block_bytes: '0a1b',
    ref_block_hash: '0102030405060708',
    expiration: now + 60_000,
    timestamp: now,
  };
  const pb = utils.transaction.txJsonToPb({ raw_data, visible: false });
  return {
    visible: false,
    txID: utils.transaction.txPbToTxID(pb).replace(/^0x/, ''),
    raw_data,
    raw_data_hex: utils.transaction.txPbToRawDataHex(pb),
  } as unknown as Types.Transaction;
}
