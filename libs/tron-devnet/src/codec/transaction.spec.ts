import { utils } from 'tronweb';

import { hexToBase58 } from './address';
import {
  decodeRawTransaction,
  decodeSignedTransaction,
  encodeRawTransaction,
  rawTransactionFromJson,
  rawTransactionToJson,
  transactionId,
} from './transaction';
import { SignatureVerifier } from './signature';

const owner = '41' + 'ab'.repeat(20);
const contract = '41' + 'cd'.repeat(20);

describe('transaction codec', () => {
  const raw = rawTransactionFromJson({
    contract: [
      {
        parameter: {
          value: { data: 'a9059cbb' + '00'.repeat(64), owner_address: owner, contract_address: contract },
          type_url: 'type.googleapis.com/protocol.TriggerSmartContract',
        },
        type: 'TriggerSmartContract',
      },
    ],
    ref_block_bytes: '1a2b',
    ref_block_hash: '0102030405060708',
    expiration: 1_700_000_060_000,
    fee_limit: 100_000_000,
    timestamp: 1_700_000_000_000,
  });

  it('encodes raw_data byte-for-byte like TronWeb', () => {
    const json = { visible: false, txID: '', raw_data: rawTransactionToJson(raw, false), raw_data_hex: '' };
    const pb = utils.transaction.txJsonToPb(json);
    expect(encodeRawTransaction(raw).toString('hex')).toBe(
      utils.transaction.txPbToRawDataHex(pb).toLowerCase(),
    );
    expect(transactionId(encodeRawTransaction(raw))).toBe(
      utils.transaction.txPbToTxID(pb).replace(/^0x/, ''),
    );
  });

  it('round-trips TRX transfers with base58 (visible) addresses', () => {
    const t = rawTransactionFromJson({
      contract: [
        {
          parameter: {
            value: { amount: 5, owner_address: hexToBase58(owner), to_address: hexToBase58(contract) },
            type_url: '',
          },
          type: 'TransferContract',
        },
      ],
      ref_block_bytes: '0001',
      ref_block_hash: 'ffffffffffffffff',
      expiration: 10,
    });
    const bytes = encodeRawTransaction(t);
    expect(decodeRawTransaction(bytes)).toEqual(t);
    const pb = utils.transaction.txJsonToPb({ visible: true, raw_data: rawTransactionToJson(t, true) });
    expect(bytes.toString('hex')).toBe(utils.transaction.txPbToRawDataHex(pb).toLowerCase());
  });

  it('decodes a signed transaction and verifies its signature against the owner', () => {
    const key = utils.accounts.generateAccount();
    const ownerHex = key.address.hex.toLowerCase();
    const r = { ...raw, contract: { ...raw.contract, ownerAddress: ownerHex } };
    const rawBytes = encodeRawTransaction(r);
    const id = transactionId(rawBytes);
    const signed = utils.crypto.signTransaction(key.privateKey, {
      txID: id,
      raw_data: rawTransactionToJson(r, false),
      raw_data_hex: rawBytes.toString('hex'),
      visible: false,
    }) as { signature: string[] };
    // google-protobuf message from TronWeb is untyped

    const pb = utils.transaction.txJsonToPb({ visible: false, raw_data: rawTransactionToJson(r, false) });
    // eslint-disable-next-line @typescript-eslint/no-unsafe-call
    pb.addSignature(Buffer.from(signed.signature[0], 'hex'));
    // eslint-disable-next-line @typescript-eslint/no-unsafe-call
    const decoded = decodeSignedTransaction(Buffer.from(pb.serializeBinary()));
    expect(decoded.rawBytes.equals(rawBytes)).toBe(true);
    const v = new SignatureVerifier();
    expect(v.check(rawBytes, id, decoded.signatures[0], ownerHex)).toEqual({ ok: true });
    // cached key path, and a different owner
    expect(v.check(rawBytes, id, decoded.signatures[0], ownerHex)).toEqual({ ok: true });
    expect(v.check(rawBytes, id, decoded.signatures[0], owner).ok).toBe(false);
  });
});
