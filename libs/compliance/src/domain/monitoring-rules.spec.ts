import { parseUsdtAmount } from '@app/common';

import { testPolicies } from '../testing/policies';
import {
  firstPayoutFinding,
  inStructuringBand,
  lookalikeFinding,
  looksAlike,
  roundAmountFinding,
  structuringBand,
  structuringFinding,
  velocityFinding,
} from './monitoring-rules';

const usdt = (value: string) => parseUsdtAmount(value);

describe('monitoring rules', () => {
  const { monitoring, approvals } = testPolicies();
  const threshold = approvals.highValue.threshold; // 10000 USDT in the shipped policies

  describe('first payout', () => {
    it('fires above the amount for an address never paid', () => {
      expect(firstPayoutFinding(monitoring.firstPayout, usdt('10000.000001'), false)).toEqual({
        rule: 'first_payout',
        action: 'approval',
        detail: expect.stringContaining('10000.000001 USDT'),
      });
    });

    it('stays quiet at exactly the amount, for a paid address, or when disabled', () => {
      expect(firstPayoutFinding(monitoring.firstPayout, usdt('10000'), false)).toBeNull();
      expect(firstPayoutFinding(monitoring.firstPayout, usdt('50000'), true)).toBeNull();
      expect(
        firstPayoutFinding({ ...monitoring.firstPayout, enabled: false }, usdt('50000'), false),
      ).toBeNull();
    });

    it('carries the configured action', () => {
      const rule = { ...monitoring.firstPayout, action: 'block' as const };
      expect(firstPayoutFinding(rule, usdt('20000'), false)?.action).toBe('block');
    });
  });

  describe('structuring', () => {
    it('bands amounts within the percentage below the threshold, threshold excluded', () => {
      const band = structuringBand(threshold, 10);
      expect(band).toEqual({ low: usdt('9000'), high: usdt('10000') });
      expect(inStructuringBand(usdt('9000'), band)).toBe(true);
      expect(inStructuringBand(usdt('9999.999999'), band)).toBe(true);
      expect(inStructuringBand(usdt('8999.999999'), band)).toBe(false);
      expect(inStructuringBand(usdt('10000'), band)).toBe(false);
    });

    it('rounds the lower bound up so it never reaches below the percentage', () => {
      // 3 base units * 90% = 2.7 base units: the band starts at 3, not 2.
      expect(structuringBand(3n, 10).low).toBe(3n);
      expect(structuringBand(1_000_001n, 10).low).toBe(900_001n);
    });

    it('fires when this payout makes `count` in the band, counting itself', () => {
      const rule = monitoring.structuring; // count 3
      expect(structuringFinding(rule, threshold, usdt('9500'), 1)).toBeNull();
      expect(structuringFinding(rule, threshold, usdt('9500'), 2)).toMatchObject({
        rule: 'structuring',
        action: 'approval',
      });
    });

    it('ignores a payout outside the band whatever the history', () => {
      expect(structuringFinding(monitoring.structuring, threshold, usdt('5000'), 10)).toBeNull();
      expect(structuringFinding(monitoring.structuring, threshold, usdt('10000'), 10)).toBeNull();
      expect(
        structuringFinding({ ...monitoring.structuring, enabled: false }, threshold, usdt('9500'), 10),
      ).toBeNull();
    });
  });

  describe('round amount', () => {
    it('fires for a multiple of `multipleOf` at or above `atLeast`', () => {
      expect(roundAmountFinding(monitoring.roundAmount, usdt('50000'))).toMatchObject({
        rule: 'round_amount',
      });
      expect(roundAmountFinding(monitoring.roundAmount, usdt('70000'))).not.toBeNull();
    });

    it('stays quiet below `atLeast`, off the multiple, or when disabled', () => {
      expect(roundAmountFinding(monitoring.roundAmount, usdt('40000'))).toBeNull();
      expect(roundAmountFinding(monitoring.roundAmount, usdt('50000.000001'))).toBeNull();
      expect(roundAmountFinding(monitoring.roundAmount, usdt('55000'))).toBeNull();
      expect(roundAmountFinding({ ...monitoring.roundAmount, enabled: false }, usdt('50000'))).toBeNull();
    });
  });

  describe('velocity', () => {
    it('fires only when the payouts in the window, counting this one, exceed maxCount', () => {
      const rule = { ...monitoring.velocity, maxCount: 3 };
      expect(velocityFinding(rule, 2)).toBeNull();
      expect(velocityFinding(rule, 3)).toMatchObject({
        rule: 'velocity',
        detail: expect.stringContaining('4 payouts'),
      });
      expect(velocityFinding({ ...rule, enabled: false }, 100)).toBeNull();
    });
  });

  describe('lookalike', () => {
    // Real base58check addresses (the devnet's USDT contract and two vanity-style neighbours of it).
    const genuine = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
    const poison = 'TR7NHaaaaaaaaaaaaaaaaaaaaaaaaLj6t';
    const other = 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf';

    it('compares the characters after the leading T and the last ones', () => {
      const rule = { prefix: 4, suffix: 4 };
      expect(looksAlike(poison, genuine, rule)).toBe(true);
      expect(looksAlike(poison, genuine, { prefix: 5, suffix: 4 })).toBe(false);
      expect(looksAlike(poison, genuine, { prefix: 4, suffix: 5 })).toBe(false);
      expect(looksAlike(genuine, genuine, rule)).toBe(false);
      expect(looksAlike(other, genuine, { prefix: 1, suffix: 1 })).toBe(false);
    });

    it('holds a never-paid destination that matches a known address on both ends, naming it', () => {
      expect(monitoring.lookalike).toEqual({ enabled: true, prefix: 4, suffix: 4, action: 'approval' });
      expect(lookalikeFinding(monitoring.lookalike, poison, false, [other, genuine])).toEqual({
        rule: 'lookalike',
        action: 'approval',
        detail: expect.stringContaining(genuine),
      });
    });

    it('stays quiet for an address paid before, with no similar known address, or when disabled', () => {
      expect(lookalikeFinding(monitoring.lookalike, poison, true, [genuine])).toBeNull();
      expect(lookalikeFinding(monitoring.lookalike, poison, false, [other])).toBeNull();
      expect(
        lookalikeFinding({ ...monitoring.lookalike, enabled: false }, poison, false, [genuine]),
      ).toBeNull();
    });
  });
});
