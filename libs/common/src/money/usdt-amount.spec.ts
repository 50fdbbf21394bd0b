import fc from 'fast-check';

import { AppError } from '../errors/app-error';
import { formatUsdtAmount, MAX_AMOUNT_RAW, parseUsdtAmount, USDT_AMOUNT_PATTERN } from './usdt-amount';

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

  it('accepts up to just under a trillion USDT and refuses more', () => {
    expect(formatUsdtAmount(MAX_AMOUNT_RAW)).toBe('999999999999.999999');
    expect(parseUsdtAmount(formatUsdtAmount(MAX_AMOUNT_RAW))).toBe(MAX_AMOUNT_RAW);
    expect(() => parseUsdtAmount('1000000000000')).toThrow(/too large/);
    expect(() => parseUsdtAmount('99999999999999999999')).toThrow(/too large/);
  });
});

describe('USDT_AMOUNT_PATTERN (the OpenAPI pattern of an amount)', () => {
  const pattern = new RegExp(USDT_AMOUNT_PATTERN);
  const accepts = (input: string) => {
    try {
      parseUsdtAmount(input);
      return true;
    } catch {
      return false;
    }
  };
  // Strings that look like amounts, near misses included: digits, one dot, signs, exponents, spaces.
  const amountLike = fc.stringMatching(/^[-+ 0-9]{0,2}[0-9]{0,14}(\.[0-9]{0,8})?(e[0-9])?$/);

  it('matches exactly the strings parseUsdtAmount accepts', () => {
    fc.assert(
      fc.property(fc.oneof(amountLike, fc.string()), (input) => pattern.test(input) === accepts(input)),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('matches every amount the service formats, from one base unit to the maximum', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_AMOUNT_RAW }), (raw) => pattern.test(formatUsdtAmount(raw))),
      { numRuns: 2000, seed: 11 },
    );
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
