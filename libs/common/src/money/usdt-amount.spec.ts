import { AppError } from '../errors/app-error';
import { formatUsdtAmount, MAX_AMOUNT_RAW, parseUsdtAmount } from './usdt-amount';

describe('parseUsdtAmount', () => {
  it.each([
    ['1', 1_000_000n],
    ['0.000001', 1n],
    ['12.5', 12_500_000n],
    ['1.123456', 1_123_456n],
    ['1000000', 1_000_000_000_000n],
  ])('parses %s to %s base units', (input, raw) => {
    expect(parseUsdtAmount(input)).toBe(raw);
  });

  it.each(['0', '0.0', '-1', '1.1234567', '1e3', '01', '1.', '.5', ' 1', '1,000', '+1', 'NaN', '', '0x10'])(
    'rejects %j with USDT_ERR_102',
    (input) => {
      expect(() => parseUsdtAmount(input)).toThrow(AppError);
      try {
        parseUsdtAmount(input);
      } catch (err) {
        expect((err as AppError).code).toBe('USDT_ERR_102');
      }
    },
  );

  it('rejects numbers, which may already have lost precision', () => {
    expect(() => parseUsdtAmount(1.5)).toThrow(/decimal string/);
  });

  it('rejects amounts that do not fit a 64-bit Long', () => {
    expect(parseUsdtAmount(formatUsdtAmount(MAX_AMOUNT_RAW))).toBe(MAX_AMOUNT_RAW);
    expect(() => parseUsdtAmount('99999999999999999999')).toThrow(/too large/);
  });
});

describe('formatUsdtAmount', () => {
  it.each([
    [0n, '0'],
    [1n, '0.000001'],
    [12_500_000n, '12.5'],
    [1_000_000n, '1'],
    [-1_500_000n, '-1.5'],
  ])('formats %s as %s', (raw, text) => {
    expect(formatUsdtAmount(raw)).toBe(text);
  });
});
