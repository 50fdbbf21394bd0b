import { createHash } from 'node:crypto';

import { buildTriggerLocally, taposOf } from './local-trc20-call';

const OWNER = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';
const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const BLOCK = {
  number: 0x1234abcd,
  id: '0000000001234abcd5f3e8f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5',
  timestamp: 1_700_000_000_000,
};

describe('taposOf', () => {
  it('takes the low two bytes of the number and bytes 8..16 of the blockID', () => {
    expect(taposOf(BLOCK)).toEqual({ bytes: 'abcd', hash: 'd5f3e8f1a2b3c4d5' });
  });

  it('refuses a block without a 64-hex id', () => {
    expect(() => taposOf({ ...BLOCK, id: 'abc' })).toThrow(/blockID/);
  });
});

describe('buildTriggerLocally', () => {
  const parts = {
    owner: OWNER,
    contract: USDT,
    data: 'a9059cbb' + '0'.repeat(128),
    feeLimit: 30_000_000,
    refBlock: BLOCK,
    expirationMs: 60_000,
    now: BLOCK.timestamp + 500,
  };

  it('names the transaction by the sha256 of its serialised raw data, as java-tron does', () => {
    const tx = buildTriggerLocally(parts);
    const expectedId = createHash('sha256').update(Buffer.from(tx.raw_data_hex, 'hex')).digest('hex');
    expect(tx.txID).toBe(expectedId);
    expect(tx.expiration).toBe(BLOCK.timestamp + 60_000);
    expect(tx.refBlock).toEqual({ bytes: 'abcd', hash: 'd5f3e8f1a2b3c4d5' });
    // the serialised bytes carry the reference block, the fee limit and the call data
    expect(tx.raw_data_hex).toContain('abcd');
    expect(tx.raw_data_hex).toContain('d5f3e8f1a2b3c4d5');
    expect(tx.raw_data_hex).toContain(parts.data);
  });

  it('gives a different transaction for a different amount or time, the same for the same inputs', () => {
    const a = buildTriggerLocally(parts);
    expect(buildTriggerLocally(parts).txID).toBe(a.txID);
    expect(buildTriggerLocally({ ...parts, now: parts.now + 1 }).txID).not.toBe(a.txID);
    expect(buildTriggerLocally({ ...parts, data: 'a9059cbb' + '0'.repeat(127) + '1' }).txID).not.toBe(a.txID);
  });

  it('refuses an expiration java-tron would refuse (over 24 h past the reference block)', () => {
    expect(() => buildTriggerLocally({ ...parts, expirationMs: 24 * 60 * 60_000 + 1 })).toThrow(/24 h/);
  });
});
