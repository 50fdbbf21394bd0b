import { AppError, ErrorCode, formatUsdtAmount } from '@app/common';

import { LimitName } from './limit-keys';

const DESCRIPTIONS: Record<LimitName, string> = {
  single: 'Single transfer limit',
  kyc_single: 'Single transfer limit for the destination KYC level',
  wallet_daily: 'Daily limit of the hot wallet',
  wallet_monthly: 'Monthly limit of the hot wallet',
  network_daily: 'Network-wide daily limit',
  kyc_daily: 'Daily limit for the destination KYC level',
  destination_velocity_count: 'Destination velocity limit (number of payouts in the window)',
  destination_velocity_volume: 'Destination velocity limit (volume in the window)',
};

/** Count limits are plain numbers; every other limit is an amount. */
const isCount = (limit: LimitName) => limit === 'destination_velocity_count';

/**
 * USDT_ERR_701 naming the limit, its value and what is left, e.g.
 * `{ field: 'limit', limit: 'wallet_daily', value: '250000', remaining: '12.5' }`.
 */
export function limitExceeded(limit: LimitName, max: bigint, remaining: bigint): AppError {
  const show = (value: bigint) => (isCount(limit) ? value.toString() : formatUsdtAmount(value));
  const unit = isCount(limit) ? '' : ' USDT';
  const left = remaining > 0n ? remaining : 0n;
  return new AppError(
    ErrorCode.LIMIT_EXCEEDED,
    `${DESCRIPTIONS[limit]} exceeded: limit ${show(max)}${unit}, remaining ${show(left)}${unit}`,
    [
      {
        field: 'limit',
        message: `${limit} exceeded`,
        limit,
        value: show(max),
        remaining: show(left),
      },
    ],
  );
}
