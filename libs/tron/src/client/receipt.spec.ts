import { TronWeb } from 'tronweb';

import { ErrorCode } from '@app/common';

import { normalizeReceipt, receiptErrorCode } from './receipt';
import { TransactionInfoJson } from './node-json';

const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const FROM = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';
const TO = 'TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7';
const word = (address: string) => TronWeb.address.toHex(address).slice(2).padStart(64, '0');

/** A USDT transfer receipt as mainnet's gettransactioninfobyid returns it (zero fields omitted). */
const transferInfo: TransactionInfoJson = {
  id: 'c'.repeat(64),
  fee: 13_844_850,
  blockNumber: 60_000_000,
  blockTimeStamp: 1_712_000_000_000,
  contractResult: ['0'.repeat(64)],
  receipt: { energy_fee: 13_499_850, energy_usage_total: 64_285, net_fee: 345_000, result: 'SUCCESS' },
  log: [
    {
      address: TronWeb.address.toHex(USDT).slice(2),
      topics: ['ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef', word(FROM), word(TO)],
      data: (1_000_000).toString(16).padStart(64, '0'),
    },
  ],
};

describe('normalizeReceipt', () => {
  it('maps a successful USDT transfer, decoding its Transfer log', () => {
    expect(normalizeReceipt(transferInfo)).toEqual({
      txid: 'c'.repeat(64),
      blockNumber: 60_000_000,
      blockTimestamp: 1_712_000_000_000,
      result: 'SUCCESS',
      energyUsed: 64_285n,
      feeSun: 13_844_850n,
      netFeeSun: 345_000n,
      energyFeeSun: 13_499_850n,
      netUsage: 0n,
      logs: [{ address: USDT, topics: transferInfo.log![0].topics, data: transferInfo.log![0].data }],
      trc20Transfers: [{ contract: USDT, from: FROM, to: TO, valueRaw: 1_000_000n }],
    });
  });

  it('is null while the transaction is in no block (the node answers {})', () => {
    expect(normalizeReceipt({})).toBeNull();
  });

  it('keeps a failed result and decodes its message', () => {
    const reverted = normalizeReceipt({
      id: 'd'.repeat(64),
      blockNumber: 5,
      fee: 100,
      result: 'FAILED',
      resMessage: Buffer.from('REVERT opcode executed').toString('hex'),
      receipt: { result: 'REVERT', energy_usage_total: 1_000, energy_fee: 100 },
    });
    expect(reverted).toMatchObject({
      result: 'REVERT',
      message: 'REVERT opcode executed',
      trc20Transfers: [],
    });
  });

  it('reads a plain TRX transfer (no receipt result) as SUCCESS with zero fees', () => {
    expect(normalizeReceipt({ id: 'e'.repeat(64), blockNumber: 9, blockTimeStamp: 1 })).toMatchObject({
      result: 'SUCCESS',
      feeSun: 0n,
      energyUsed: 0n,
    });
  });
});

describe('receiptErrorCode', () => {
  it.each([
    ['SUCCESS', {}, undefined],
    ['REVERT', {}, ErrorCode.CONTRACT_REVERTED],
    ['OUT_OF_ENERGY', {}, ErrorCode.INSUFFICIENT_FEE_RESOURCES],
    ['OUT_OF_ENERGY', { paused: true }, ErrorCode.INSUFFICIENT_FEE_RESOURCES],
    ['REVERT', { paused: true }, ErrorCode.CONTRACT_PAUSED],
    ['REVERT', { blacklisted: true }, ErrorCode.ADDRESS_BLACKLISTED],
    ['OUT_OF_TIME', {}, ErrorCode.CONTRACT_REVERTED],
    ['FAILED', {}, ErrorCode.CONTRACT_REVERTED],
  ])('maps %s with contract state %j to %s', (result, state, code) => {
    expect(receiptErrorCode(result, state)).toBe(code);
  });
});
