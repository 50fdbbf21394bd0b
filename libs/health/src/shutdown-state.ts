import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/**
 * Set when the process starts to stop, before the HTTP server closes: readiness answers 503 from then on so
 * that load balancers stop sending new work while in-flight requests finish.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private stopping = false;

  get isShuttingDown(): boolean {
    return this.stopping;
  }

  begin(): void {
    this.stopping = true;
  }

  beforeApplicationShutdown(): void {
    this.begin();
  }
}
