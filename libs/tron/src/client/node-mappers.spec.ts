import { AppError, txIdOf } from '@app/common';

import { checkAddress, checkTxId, constantCallFailure, toBlockRef, toChainParameters } from './node-mappers';

const hex = (text: string) => Buffer.from(text).toString('hex');

describe('node mappers', () => {
  it('reads energy and bandwidth prices from getchainparameters', () => {
    expect(
      toChainParameters({
        chainParameter: [
          { key: 'getTransactionFee', value: 1000 },
          { key: 'getEnergyFee', value: 100 },
          { key: 'getMaxFeeLimit', value: 15_000_000_000 },
          { key: 'getAllowTvmTransferTrc10' },
        ],
      }),
    ).toEqual({ energyFeeSun: 100n, transactionFeeSunPerByte: 1000n, maxFeeLimitSun: 15_000_000_000n });
    expect(() => toChainParameters({ chainParameter: [] })).toThrow(AppError);
  });

  it('tells a constant call that ran from one that reverted or was refused', () => {
    expect(constantCallFailure({ result: { result: true }, transaction: { ret: [{}] } })).toBeUndefined();
    expect(
      constantCallFailure({
        result: { result: true, message: hex('REVERT opcode executed') },
        transaction: { ret: [{ ret: 'FAILED' }] },
      }),
    ).toBe('REVERT opcode executed');
    expect(
      constantCallFailure({
        result: {
          code: 'CONTRACT_VALIDATE_ERROR',
          message: hex('No contract or not a valid smart contract'),
        },
      }),
    ).toBe('No contract or not a valid smart contract');
    expect(constantCallFailure({ result: { result: true }, transaction: { ret: [{ ret: 'FAILED' }] } })).toBe(
      'REVERT',
    );
  });

  it('reads a block header', () => {
    expect(
      toBlockRef({ blockID: 'f'.repeat(64), block_header: { raw_data: { number: 42, timestamp: 1000 } } }),
    ).toEqual({
      number: 42,
      id: 'f'.repeat(64),
      timestamp: 1000,
    });
    expect(() => toBlockRef({})).toThrow(AppError);
  });

  it('reads the genesis block, whose protobuf JSON omits number 0', () => {
    expect(toBlockRef({ blockID: 'a'.repeat(64), block_header: { raw_data: { timestamp: 5 } } })).toEqual({
      number: 0,
      id: 'a'.repeat(64),
      timestamp: 5,
    });
  });

  it('computes txID as sha256 of the raw bytes', () => {
    expect(txIdOf('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('refuses malformed addresses and txids with their catalogue codes', () => {
    expect(() => checkAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u')).toThrow(
      expect.objectContaining({ code: 'USDT_ERR_101' }),
    );
    expect(() => checkTxId('xyz')).toThrow(expect.objectContaining({ code: 'USDT_ERR_103' }));
    expect(checkTxId('A'.repeat(64))).toBe('a'.repeat(64));
  });
});
