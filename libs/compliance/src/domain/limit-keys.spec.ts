import { AppError, ErrorCode, parseUsdtAmount } from '@app/common';

import { testPolicies } from '../testing/policies';
import { limitExceeded } from './limit-breach';
import {
  dayCounterExpiry,
  destinationDayKey,
  destinationWindowKey,
  monthCounterExpiry,
  networkDayKey,
  sumCounterPlan,
  walletDayKey,
  walletMonthKey,
} from './limit-keys';

const WALLET = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';
const TO = 'TPL66VK2gCXNCD7EJg9pgJRfqcRazjhUZY';

describe('limit counter keys', () => {
  it('names the UTC day and month, not the local ones', () => {
    const lateEvening = new Date('2026-11-30T23:59:59.999Z');
    expect(walletDayKey(WALLET, lateEvening)).toBe(`wallet-day:${WALLET}:2026-11-30`);
    expect(walletMonthKey(WALLET, lateEvening)).toBe(`wallet-month:${WALLET}:2026-11`);
    const midnight = new Date('2026-12-01T00:00:00.000Z');
    expect(walletDayKey(WALLET, midnight)).toBe(`wallet-day:${WALLET}:2026-12-01`);
    expect(walletMonthKey(WALLET, midnight)).toBe(`wallet-month:${WALLET}:2026-12`);
    expect(networkDayKey(midnight)).toBe('network-day:2026-12-01');
    expect(destinationDayKey(TO, midnight)).toBe(`destination-day:${TO}:2026-12-01`);
    expect(destinationWindowKey(TO)).toBe(`destination-window:${TO}`);
  });

  it('lets a counter expire one day after its period ends', () => {
    expect(dayCounterExpiry(new Date('2026-11-25T10:00:00Z'))).toEqual(new Date('2026-11-27T00:00:00Z'));
    expect(dayCounterExpiry(new Date('2026-12-31T23:00:00Z'))).toEqual(new Date('2027-01-02T00:00:00Z'));
    expect(monthCounterExpiry(new Date('2026-12-15T00:00:00Z'))).toEqual(new Date('2027-01-02T00:00:00Z'));
    expect(monthCounterExpiry(new Date('2026-02-01T00:00:00Z'))).toEqual(new Date('2026-03-02T00:00:00Z'));
  });

  it('plans the wallet, network and KYC daily counters with their limits', () => {
    const policies = testPolicies();
    const at = new Date('2026-11-25T10:00:00Z');
    const plan = sumCounterPlan({ wallet: WALLET, to: TO, at }, policies, 'basic');
    expect(plan.map((counter) => [counter.limit, counter.key, counter.max])).toEqual([
      ['wallet_daily', `wallet-day:${WALLET}:2026-11-25`, parseUsdtAmount('250000')],
      ['wallet_monthly', `wallet-month:${WALLET}:2026-11`, parseUsdtAmount('2000000')],
      ['network_daily', 'network-day:2026-11-25', parseUsdtAmount('1000000')],
      ['kyc_daily', `destination-day:${TO}:2026-11-25`, parseUsdtAmount('100000')],
    ]);
  });
});

describe('limit exceeded error', () => {
  it('is USDT_ERR_701 naming the limit, its value and what is left', () => {
    const err = limitExceeded('wallet_daily', parseUsdtAmount('50'), parseUsdtAmount('0.5'));
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe(ErrorCode.LIMIT_EXCEEDED);
    expect(err.message).toMatch(/daily limit of the hot wallet/i);
    expect(err.details).toEqual([
      expect.objectContaining({ field: 'limit', limit: 'wallet_daily', value: '50', remaining: '0.5' }),
    ]);
  });

  it('shows counts as counts and never a negative remainder', () => {
    const err = limitExceeded('destination_velocity_count', 20n, -3n);
    expect(err.details[0]).toMatchObject({ value: '20', remaining: '0' });
  });
});
