import { RecentReads } from './recent-reads';

/** A read the test answers by hand, so it can be in flight while something else happens. */
function controlledReads() {
  const pending: Array<{ key: string; answer: (value: number) => void }> = [];
  const read = (key: string) => new Promise<number>((answer) => pending.push({ key, answer }));
  return { pending, reads: new RecentReads<string, number>(read) };
}

describe('RecentReads', () => {
  afterEach(() => jest.useRealTimers());

  it('answers from a read younger than maxAgeMs, counted from when the read started', async () => {
    jest.useFakeTimers({ now: 0 });
    const { pending, reads } = controlledReads();
    const first = reads.recent('w', 100);
    jest.setSystemTime(60);
    pending[0].answer(1);
    expect(await first).toBe(1);
    jest.setSystemTime(99);
    expect(await reads.recent('w', 100)).toBe(1);
    expect(pending).toHaveLength(1);
    // 100 ms after the read started, though only 40 after it answered.
    jest.setSystemTime(100);
    const second = reads.recent('w', 100);
    expect(pending).toHaveLength(2);
    pending[1].answer(2);
    expect(await second).toBe(2);
  });

  it('shares one read in flight per key between callers, and keeps keys apart', async () => {
    const { pending, reads } = controlledReads();
    const asked = [reads.recent('a', 1000), reads.recent('a', 1000), reads.recent('b', 1000)];
    expect(pending.map((read) => read.key)).toEqual(['a', 'b']);
    pending[0].answer(1);
    pending[1].answer(2);
    expect(await Promise.all(asked)).toEqual([1, 1, 2]);
  });

  it('never keeps a read that started before a local write, though it still answers its own callers', async () => {
    const { pending, reads } = controlledReads();
    const before = reads.recent('w', 1000);
    reads.put('w', 7);
    pending[0].answer(1);
    expect(await before).toBe(1);
    expect(await reads.recent('w', 1000)).toBe(7);
    expect(pending).toHaveLength(1);
  });

  it('after forget, the next caller waits for a read that starts after it, not one already in flight', async () => {
    const { pending, reads } = controlledReads();
    void reads.recent('w', 1000);
    reads.forget('w');
    const after = reads.recent('w', 1000);
    expect(pending).toHaveLength(2);
    pending[0].answer(1);
    pending[1].answer(2);
    expect(await after).toBe(2);
    expect(await reads.recent('w', 1000)).toBe(2);
  });

  it('reads again every time with maxAgeMs 0 once the read in flight has answered', async () => {
    const { pending, reads } = controlledReads();
    const first = reads.recent('w', 0);
    pending[0].answer(1);
    await first;
    void reads.recent('w', 0);
    expect(pending).toHaveLength(2);
  });

  it('does not keep a failed read: the next caller reads again', async () => {
    let calls = 0;
    const reads = new RecentReads<string, number>(() =>
      ++calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve(calls),
    );
    await expect(reads.recent('w', 1000)).rejects.toThrow('down');
    expect(await reads.recent('w', 1000)).toBe(2);
  });

  it('tells onHeld of every value kept', async () => {
    const held: Array<[string, number]> = [];
    const reads = new RecentReads<string, number>(
      () => Promise.resolve(3),
      (key, value) => held.push([key, value]),
    );
    await reads.fresh('w');
    reads.put('v', 4);
    expect(held).toEqual([
      ['w', 3],
      ['v', 4],
    ]);
  });
});
