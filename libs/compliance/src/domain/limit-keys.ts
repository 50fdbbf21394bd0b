import type { KycLevel, Policies } from '@app/policies';

/**
 * Which counter documents a payout draws on. Keys name the scope and the UTC period, so a new day or month
 * starts a new counter; old ones carry `expiresAt` and are deleted by code (no TTL index: the embedded engine
 * has none).
 */

export type SumLimitName = 'wallet_daily' | 'wallet_monthly' | 'network_daily' | 'kyc_daily';
export type LimitName =
  SumLimitName | 'single' | 'kyc_single' | 'destination_velocity_count' | 'destination_velocity_volume';

/** One sum counter to reserve from: `used` may grow by the amount only while it stays within `max`. */
export interface SumCounterPlan {
  limit: SumLimitName;
  key: string;
  max: bigint;
  expiresAt: Date;
}

const DAY_MS = 86_400_000;
/** Counters stay readable this long after their period ends (late releases are no-ops, not errors). */
const GRACE_MS = DAY_MS;

/** `YYYY-MM-DD` of the UTC day. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `YYYY-MM` of the UTC month. */
export function utcMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}

export function walletDayKey(wallet: string, at: Date): string {
  return `wallet-day:${wallet}:${utcDay(at)}`;
}

export function walletMonthKey(wallet: string, at: Date): string {
  return `wallet-month:${wallet}:${utcMonth(at)}`;
}

export function networkDayKey(at: Date): string {
  return `network-day:${utcDay(at)}`;
}

export function destinationDayKey(to: string, at: Date): string {
  return `destination-day:${to}:${utcDay(at)}`;
}

/** The sliding-window document of a destination; not tied to a period. */
export function destinationWindowKey(to: string): string {
  return `destination-window:${to}`;
}

/** When a counter of the UTC day containing `at` may be deleted. */
export function dayCounterExpiry(at: Date): Date {
  const nextDay = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1);
  return new Date(nextDay + GRACE_MS);
}

/** When a counter of the UTC month containing `at` may be deleted. */
export function monthCounterExpiry(at: Date): Date {
  const nextMonth = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
  return new Date(nextMonth + GRACE_MS);
}

/** The sum counters a payout reserves from, in the order they are taken. */
export function sumCounterPlan(
  draft: { wallet: string; to: string; at: Date },
  policies: Pick<Policies, 'limits' | 'kyc'>,
  kycLevel: KycLevel,
): SumCounterPlan[] {
  const { wallet, to, at } = draft;
  const day = dayCounterExpiry(at);
  return [
    {
      limit: 'wallet_daily',
      key: walletDayKey(wallet, at),
      max: policies.limits.walletDaily,
      expiresAt: day,
    },
    {
      limit: 'wallet_monthly',
      key: walletMonthKey(wallet, at),
      max: policies.limits.walletMonthly,
      expiresAt: monthCounterExpiry(at),
    },
    { limit: 'network_daily', key: networkDayKey(at), max: policies.limits.networkDaily, expiresAt: day },
    {
      limit: 'kyc_daily',
      key: destinationDayKey(to, at),
      max: policies.kyc[kycLevel].dailyMax,
      expiresAt: day,
    },
  ];
}
