import { untilSolidified } from './chain-heads';

const heads = (head: number, solidified: number, msPerBlock: number) => ({
  head: { number: head, id: 'h', timestamp: head * msPerBlock },
  solidified: { number: solidified, id: 's', timestamp: solidified * msPerBlock },
});

describe('untilSolidified', () => {
  it('waits about as many blocks as the solidified head still has to go, at the observed pace', () => {
    // Mainnet pace (3 s blocks), 19 blocks of lag, the transaction in the newest block.
    expect(untilSolidified(heads(1019, 1000, 3000), 1019, 100)).toBe(30_000);
    expect(untilSolidified(heads(1019, 1000, 3000), 1002, 100)).toBe(6_000);
    // Devnet pace in tests: 300 ms blocks, 3 blocks of lag.
    expect(untilSolidified(heads(103, 100, 300), 103, 100)).toBe(900);
  });

  it('never waits less than the poll interval, nor when the pace cannot be measured', () => {
    expect(untilSolidified(heads(100, 100, 3000), 101, 250)).toBe(250);
    expect(untilSolidified(heads(110, 100, 1), 95, 250)).toBe(250);
  });
});
