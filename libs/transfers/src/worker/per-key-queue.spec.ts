import { PerKeyQueue } from './per-key-queue';

describe('PerKeyQueue', () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('runs tasks of one key one at a time, in order, even when one fails', async () => {
    const queue = new PerKeyQueue();
    const events: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        events.push(`${name}:start`);
        await tick();
        events.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([queue.run('w', task('a', true)), queue.run('w', task('b'))]);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
  });

  it('runs tasks of different keys in parallel', async () => {
    const queue = new PerKeyQueue();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name}:start`);
      await tick();
      events.push(`${name}:end`);
    };
    await Promise.all([queue.run('w1', task('a')), queue.run('w2', task('b'))]);
    expect(events.slice(0, 2)).toEqual(['a:start', 'b:start']);
  });

  it('is busy for a key exactly while a task for it runs or waits', async () => {
    const queue = new PerKeyQueue();
    expect(queue.isBusy('w')).toBe(false);
    const running = queue.run('w', tick);
    expect(queue.isBusy('w')).toBe(true);
    expect(queue.isBusy('other')).toBe(false);
    await running;
    await tick();
    expect(queue.isBusy('w')).toBe(false);
  });
});
