/**
 * Runs tasks one after another in the order they were queued; a failed task does not stop the ones behind
 * it. Used so that one instance never races itself for the next seq of the audit chain.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(task);
    this.tail = result
      .catch(() => undefined)
      .finally(() => {
        this.pending -= 1;
      });
    return result;
  }

  /** Tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Resolves once everything queued so far has finished (successfully or not). */
  async idle(): Promise<void> {
    await this.tail;
  }
}
