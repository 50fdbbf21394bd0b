/**
 * Runs `work` every `everyMs`, never two runs at once (a slow run makes the next tick a no-op), and lets the
 * process exit while idle. `stop()` clears the timer and waits for a run under way, for a clean shutdown.
 */
export class IntervalTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.work()
        .catch(this.onError)
        .finally(() => (this.running = undefined));
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
