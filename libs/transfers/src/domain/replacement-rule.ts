/**
 * The only condition under which a transfer may get a new transaction: its signed one has expired and the
 * solidified (irreversible) chain has moved past its expiration without including it. A block may only include a
 * transaction whose expiration is after the block's time, so once a solidified block is later than the
 * expiration, every block that could have included it is final, and it is in none of them.
 */
export function canNeverLand(input: {
  expiration: number;
  solidifiedHeadTimestamp: number;
  foundInSolidifiedChain: boolean;
}): boolean {
  return !input.foundInSolidifiedChain && input.solidifiedHeadTimestamp > input.expiration;
}
