import { GroupedCalls } from './grouped-calls';

/** A round's answer that the test releases when it chooses. */
interface HeldRound {
  calls: readonly string[];
  release(): void;
  fail(err: Error): void;
}

function heldRounds() {
  const rounds: HeldRound[] = [];
  const answer = (calls: readonly string[]) =>
    new Promise<Array<string | Error>>((resolve, reject) => {
      rounds.push({
        calls: [...calls],
        release: () =>
          resolve(calls.map((call) => (call === 'bad' ? new Error('bad call') : call.toUpperCase()))),
        fail: reject,
      });
    });
  return { rounds, answer };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupedCalls', () => {
  it('answers a call made at a quiet time at once, in a round of its own', async () => {
    const { rounds, answer } = heldRounds();
    const grouped = new GroupedCalls(answer);
    const a = grouped.call('a');
    await tick();
    expect(rounds.map((round) => round.calls)).toEqual([['a']]);
    rounds[0].release();
    await expect(a).resolves.toBe('A');
  });

  it('sends the calls of one moment together', async () => {
    const { rounds, answer } = heldRounds();
    const grouped = new GroupedCalls(answer);
    const answers = Promise.all(['a', 'b', 'a'].map((key) => grouped.call(key)));
    await tick();
    expect(rounds.map((round) => round.calls)).toEqual([['a', 'b', 'a']]);
    rounds[0].release();
    await expect(answers).resolves.toEqual(['A', 'B', 'A']);
  });

  it('holds calls made during a round for the next one, which starts when it ends', async () => {
    const { rounds, answer } = heldRounds();
    const grouped = new GroupedCalls(answer);
    const first = grouped.call('a');
    await tick();
    const later = ['b', 'c'].map((key) => grouped.call(key));
    await tick();
    const last = grouped.call('d');
    await tick();
    expect(rounds).toHaveLength(1);
    rounds[0].release();
    await first;
    await tick();
    expect(rounds.map((round) => round.calls)).toEqual([['a'], ['b', 'c', 'd']]);
    rounds[1].release();
    await expect(Promise.all([...later, last])).resolves.toEqual(['B', 'C', 'D']);
  });

  it('fails only the call answered with an error, and a round that throws fails only its own calls', async () => {
    const { rounds, answer } = heldRounds();
    const grouped = new GroupedCalls(answer);
    const good = grouped.call('a');
    const bad = grouped.call('bad');
    await tick();
    rounds[0].release();
    await expect(good).resolves.toBe('A');
    await expect(bad).rejects.toThrow('bad call');

    const lost = grouped.call('x');
    await tick();
    const next = grouped.call('y');
    rounds[1].fail(new Error('database gone'));
    await expect(lost).rejects.toThrow('database gone');
    await tick();
    expect(rounds[2].calls).toEqual(['y']);
    rounds[2].release();
    await expect(next).resolves.toBe('Y');
  });

  it('splits a moment larger than a round, the rounds one after another', async () => {
    const { rounds, answer } = heldRounds();
    const grouped = new GroupedCalls(answer, 2);
    const answers = Promise.all(['a', 'b', 'c', 'd', 'e'].map((key) => grouped.call(key)));
    await tick();
    expect(rounds).toHaveLength(1);
    for (let n = 0; n < 3; n++) {
      rounds[n].release();
      await tick();
      await tick();
    }
    expect(rounds.map((round) => round.calls)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    await expect(answers).resolves.toEqual(['A', 'B', 'C', 'D', 'E']);
  });
});
