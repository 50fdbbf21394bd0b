import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-codes';

/** USDT on TRON has 6 decimals: 1 USDT = 1,000,000 base units. */
export const USDT_DECIMALS = 6;
const UNIT = 10n ** BigInt(USDT_DECIMALS);

/**
 * The largest amount the API accepts: just under a trillion USDT, far above the token's whole supply.
 * Amounts are stored as a signed 64-bit Long in MongoDB (at most about 9.2 trillion USDT); stopping at 12
 * whole digits leaves room for sums of amounts and lets the OpenAPI pattern state the bound exactly.
 */
export const MAX_AMOUNT_RAW = 10n ** 18n - 1n;

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

/**
 * Exactly what parseUsdtAmount accepts, as a regular expression for the OpenAPI document: a whole part
 * without leading zeros of at most 12 digits (MAX_AMOUNT_RAW), at most 6 decimals, and not zero.
 */
export const USDT_AMOUNT_PATTERN =
  '^([1-9][0-9]{0,11}(\\.[0-9]{1,6})?|0\\.([1-9][0-9]{0,5}|0[1-9][0-9]{0,4}|00[1-9][0-9]{0,3}|000[1-9][0-9]{0,2}|0000[1-9][0-9]?|00000[1-9]))$';

/**
 * Parses a decimal string such as "12.5" into base units. Only plain positive decimals are accepted:
 * no sign, exponent, grouping, leading zeros or more than 6 decimals. Throws USDT_ERR_102.
 */
export function parseUsdtAmount(input: unknown, field = 'amount'): bigint {
  if (typeof input !== 'string') throw invalid(field, 'must be a decimal string, e.g. "12.5"');
  const match = DECIMAL.exec(input);
  if (!match) throw invalid(field, 'must be a positive decimal string without sign or exponent, e.g. "12.5"');
  const fraction = (match[2] ?? '.').slice(1);
  if (fraction.length > USDT_DECIMALS) throw invalid(field, `must have at most ${USDT_DECIMALS} decimals`);
  const raw = BigInt(match[1]) * UNIT + BigInt(fraction.padEnd(USDT_DECIMALS, '0'));
  if (raw <= 0n) throw invalid(field, 'must be greater than zero');
  if (raw > MAX_AMOUNT_RAW) throw invalid(field, 'is too large');
  return raw;
}

/** Formats base units as a decimal string without trailing zeros: 12500000n -> "12.5". */
export function formatUsdtAmount(raw: bigint): string {
  const negative = raw < 0n;
  const abs = negative ? -raw : raw;
  const whole = abs / UNIT;
  const fraction = (abs % UNIT).toString().padStart(USDT_DECIMALS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

function invalid(field: string, message: string): AppError {
  return new AppError(ErrorCode.INVALID_AMOUNT, `${field} ${message}`, [{ field, message }]);
}
