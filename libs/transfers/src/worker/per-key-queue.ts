/**
 * Runs tasks for the same key one after another (tasks for different keys run in parallel). Used so that
 * identical intake requests reaching one instance at once are taken one after another.
 */
export class PerKeyQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** True while a task for the key runs or waits. */
  isBusy(key: string): boolean {
    return this.tails.has(key);
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget the key once nothing is queued behind this task, so the map does not grow with every wallet.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
