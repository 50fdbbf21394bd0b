import { canNeverLand } from './replacement-rule';

describe('canNeverLand', () => {
  const expiration = 1_000_000;

  it('is false while the solidified chain has not passed the expiration', () => {
    expect(
      canNeverLand({ expiration, solidifiedHeadTimestamp: expiration - 1, foundInSolidifiedChain: false }),
    ).toBe(false);
    expect(
      canNeverLand({ expiration, solidifiedHeadTimestamp: expiration, foundInSolidifiedChain: false }),
    ).toBe(false);
  });

  it('is true once a solidified block is later than the expiration and the transaction is absent', () => {
    expect(
      canNeverLand({ expiration, solidifiedHeadTimestamp: expiration + 3000, foundInSolidifiedChain: false }),
    ).toBe(true);
  });

  it('is false when the transaction is in the solidified chain', () => {
    expect(
      canNeverLand({ expiration, solidifiedHeadTimestamp: expiration + 3000, foundInSolidifiedChain: true }),
    ).toBe(false);
  });
});
