import { IntervalTask } from './interval-task';

describe('IntervalTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('never starts a run while one is under way, and stop() waits for it', async () => {
    let finish!: () => void;
    const work = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const task = new IntervalTask(work, () => undefined);
    task.start(100);

    jest.advanceTimersByTime(350); // three ticks while the first run is still going
    expect(work).toHaveBeenCalledTimes(1);

    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    jest.advanceTimersByTime(500);
    expect(work).toHaveBeenCalledTimes(1); // no run after stop
  });

  it('reports a failed run and runs again on the next tick', async () => {
    const errors: unknown[] = [];
    const work = jest.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValue(undefined);
    const task = new IntervalTask(work, (err) => errors.push(err));
    task.start(100);
    jest.advanceTimersByTime(100);
    await task.stop().catch(() => undefined);
    expect(errors).toEqual([new Error('boom')]);
    task.start(100);
    jest.advanceTimersByTime(100);
    await task.stop();
    expect(work).toHaveBeenCalledTimes(2);
  });
});
