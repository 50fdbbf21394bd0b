/** The search stops once its bounds are this close (java-tron's TRX_PRECISION: 1 TRX). */
const TRX_PRECISION = 1_000_000n;
/** A constant call's energy cap whatever its fee_limit (java-tron's default maxEnergyLimitForConstant). */
const MAX_CONSTANT_ENERGY = 100_000_000n;

/**
 * `energy_required` as java-tron's Wallet.estimateEnergy finds it for a call that uses `energyUsed`: it
 * searches for the smallest fee_limit under which the call still succeeds, starting from (fee of the energy
 * used, 2x that), stops once the bounds are within 1 TRX and answers the upper bound in energy, rounded up.
 * A constant call gets min(100M, fee_limit / energyFee) energy (0 means no limit), so the call succeeds
 * exactly when that reaches `energyUsed`, and the answer lands up to 1 TRX's worth of energy above it:
 * 72,321 for the 64,285 of a USDT transfer at 100 sun.
 */
export function estimatedEnergy(energyUsed: number, energyFee: bigint, maxFeeLimit: bigint): number {
  if (energyFee <= 0n) return energyUsed;
  const needed = BigInt(energyUsed);
  const succeeds = (feeLimit: bigint): boolean => {
    const cap = feeLimit > 0n ? feeLimit / energyFee : MAX_CONSTANT_ENERGY;
    return (cap < MAX_CONSTANT_ENERGY ? cap : MAX_CONSTANT_ENERGY) >= needed;
  };
  let high = maxFeeLimit;
  let low = energyFee * needed;
  const twoTimes = low * 2n;
  if (twoTimes < high) {
    if (succeeds(twoTimes)) high = twoTimes;
    else low = twoTimes;
  }
  while (low + TRX_PRECISION < high) {
    const mid = (low + high) / 2n;
    if (succeeds(mid)) high = mid;
    else low = mid;
  }
  return Number((high + energyFee - 1n) / energyFee);
}
