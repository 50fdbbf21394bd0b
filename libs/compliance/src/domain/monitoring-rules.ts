import { formatUsdtAmount } from '@app/common';
import type { Policies, RuleAction } from '@app/policies';

/**
 * The transaction monitoring rules as pure functions: the engine fetches the history a rule needs (only when
 * the rule can fire at all) and these decide. Each returns a finding or null.
 */

export type MonitoringRuleName = 'first_payout' | 'structuring' | 'round_amount' | 'velocity' | 'lookalike';

export interface RuleFinding {
  rule: MonitoringRuleName;
  action: RuleAction;
  detail: string;
}

type Monitoring = Policies['monitoring'];

const usdt = (raw: bigint) => `${formatUsdtAmount(raw)} USDT`;

/** Whether the first-payout rule could fire for this amount, i.e. whether the history is worth reading. */
export function firstPayoutApplies(rule: Monitoring['firstPayout'], amountRaw: bigint): boolean {
  return rule.enabled && amountRaw > rule.above;
}

/** Fires for an amount above `above` to an address that was never paid (confirmed, in flight or approved). */
export function firstPayoutFinding(
  rule: Monitoring['firstPayout'],
  amountRaw: bigint,
  paidBefore: boolean,
): RuleFinding | null {
  if (!firstPayoutApplies(rule, amountRaw) || paidBefore) return null;
  return {
    rule: 'first_payout',
    action: rule.action,
    detail: `first payout to this address: ${usdt(amountRaw)}, above ${usdt(rule.above)}`,
  };
}

/**
 * The "just under the approval threshold" band: [threshold * (100 - withinPercent) / 100, threshold).
 * The lower bound is rounded up so that it never reaches below the stated percentage.
 */
export function structuringBand(threshold: bigint, withinPercent: number): { low: bigint; high: bigint } {
  const scaled = threshold * BigInt(100 - withinPercent);
  const low = scaled / 100n + (scaled % 100n === 0n ? 0n : 1n);
  return { low, high: threshold };
}

export function inStructuringBand(amountRaw: bigint, band: { low: bigint; high: bigint }): boolean {
  return amountRaw >= band.low && amountRaw < band.high;
}

/**
 * Fires when this payout and the earlier ones to the same destination within the window, all just under the
 * high-value threshold, reach `count`: a payment split to stay under the approval threshold.
 */
export function structuringFinding(
  rule: Monitoring['structuring'],
  threshold: bigint,
  amountRaw: bigint,
  earlierInBand: number,
): RuleFinding | null {
  if (!rule.enabled) return null;
  const band = structuringBand(threshold, rule.withinPercent);
  if (!inStructuringBand(amountRaw, band)) return null;
  const total = earlierInBand + 1;
  if (total < rule.count) return null;
  return {
    rule: 'structuring',
    action: rule.action,
    detail:
      `${total === rule.count ? 'at least ' : ''}${total} payouts to this address within ${minutes(rule.windowMs)} min between ` +
      `${usdt(band.low)} and ${usdt(band.high)} (threshold ${usdt(threshold)}), limit ${rule.count}`,
  };
}

/** Fires for an amount of at least `atLeast` that is an exact multiple of `multipleOf`. */
export function roundAmountFinding(rule: Monitoring['roundAmount'], amountRaw: bigint): RuleFinding | null {
  if (!rule.enabled || amountRaw < rule.atLeast || amountRaw % rule.multipleOf !== 0n) return null;
  return {
    rule: 'round_amount',
    action: rule.action,
    detail: `round amount ${usdt(amountRaw)}: a multiple of ${usdt(rule.multipleOf)} of at least ${usdt(rule.atLeast)}`,
  };
}

/** Fires when the wallet's payouts within the window, counting this one, exceed `maxCount`. */
export function velocityFinding(rule: Monitoring['velocity'], earlierFromWallet: number): RuleFinding | null {
  if (!rule.enabled) return null;
  const total = earlierFromWallet + 1;
  if (total <= rule.maxCount) return null;
  return {
    rule: 'velocity',
    action: rule.action,
    detail: `${total === rule.maxCount + 1 ? 'at least ' : ''}${total} payouts from this wallet within ${minutes(rule.windowMs)} min, more than ${rule.maxCount}`,
  };
}

/**
 * The two ends that make an address look like another at a glance (wallets and explorers show
 * `TAbc…xyz`): the `prefix` characters after the leading `T`, which every address shares, and the last
 * `suffix` characters.
 */
export function lookalikeEnds(
  address: string,
  rule: Pick<Monitoring['lookalike'], 'prefix' | 'suffix'>,
): { head: string; tail: string } {
  return { head: address.slice(0, 1 + rule.prefix), tail: address.slice(-rule.suffix) };
}

export function looksAlike(a: string, b: string, rule: Pick<Monitoring['lookalike'], 'prefix' | 'suffix'>) {
  if (a === b) return false;
  const x = lookalikeEnds(a, rule);
  const y = lookalikeEnds(b, rule);
  return x.head === y.head && x.tail === y.tail;
}

/**
 * Address poisoning: fires for a destination never paid before that shares both ends with an address we
 * paid before or manage (`known`). The finding names the genuine address so the approver can compare.
 */
export function lookalikeFinding(
  rule: Monitoring['lookalike'],
  to: string,
  paidBefore: boolean,
  known: readonly string[],
): RuleFinding | null {
  if (!rule.enabled || paidBefore) return null;
  const genuine = known.find((address) => looksAlike(to, address, rule));
  if (!genuine) return null;
  return {
    rule: 'lookalike',
    action: rule.action,
    detail:
      `never paid before and shares the first ${rule.prefix} and last ${rule.suffix} characters with ` +
      `${genuine}, an address we paid or manage: possible address poisoning`,
  };
}

function minutes(ms: number): number {
  return Math.round(ms / 60_000);
}
