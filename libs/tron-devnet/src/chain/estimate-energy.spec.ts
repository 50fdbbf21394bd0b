import { estimatedEnergy } from './estimate-energy';

const MAX_FEE_LIMIT = 15_000_000_000n;

describe("estimateenergy's search (java-tron Wallet.estimateEnergy)", () => {
  it('lands within 1 TRX of energy above what the call uses', () => {
    expect(estimatedEnergy(64_285, 100n, MAX_FEE_LIMIT)).toBe(72_321);
    expect(estimatedEnergy(130_285, 100n, MAX_FEE_LIMIT)).toBe(138_428);
    expect(estimatedEnergy(64_285, 210n, MAX_FEE_LIMIT)).toBe(68_303);
    for (const used of [1, 12_000, 46_215, 64_285, 130_285]) {
      const required = estimatedEnergy(used, 100n, MAX_FEE_LIMIT);
      expect(required).toBeGreaterThanOrEqual(used);
      expect(required - used).toBeLessThanOrEqual(10_000);
    }
  });

  it('skips the doubling when twice the fee reaches the maximum fee limit', () => {
    // low = 100 sun * 80M = 8,000 TRX; 2x is above 15,000 TRX, so the search halves down from the maximum
    expect(estimatedEnergy(80_000_000, 100n, MAX_FEE_LIMIT)).toBe(80_008_545);
  });
});
