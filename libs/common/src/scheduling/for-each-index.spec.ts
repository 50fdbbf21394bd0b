import { forEachIndex } from './for-each-index';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachIndex', () => {
  it('runs every index once, never more than `limit` at a time', async () => {
    const seen: number[] = [];
    let running = 0;
    let most = 0;
    await forEachIndex(20, 3, async (index) => {
      running++;
      most = Math.max(most, running);
      await tick();
      seen.push(index);
      running--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(3);
  });

  it('starts nothing after a failure and throws only when the started tasks have settled', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const run = forEachIndex(10, 2, async (index) => {
      started.push(index);
      await tick();
      if (index === 2) throw new Error('boom');
      await tick();
      settled.push(index);
    });
    await expect(run).rejects.toThrow('boom');
    expect(started).toEqual([0, 1, 2, 3]);
    expect(settled.sort()).toEqual([0, 1, 3]);
  });

  it('does nothing for no items', async () => {
    const task = jest.fn();
    await forEachIndex(0, 4, task);
    expect(task).not.toHaveBeenCalled();
  });
});
