import { EmbeddedMongo, EmbeddedMongoOptions, startEmbeddedMongo } from './embedded-mongo';

export interface EngineSupervisorOptions extends Omit<EmbeddedMongoOptions, 'onExit'> {
  /** Restarts allowed within `windowMs` before the supervisor gives up (an engine that keeps dying). */
  maxRestarts?: number;
  windowMs?: number;
  onRestarting: (reason: string) => void;
  onRestarted: (engine: EmbeddedMongo) => void;
  /** The engine is gone for good: the caller must not serve on without it. */
  onGiveUp: (reason: string) => void;
}

export interface SupervisedEngine {
  readonly uri: string;
  /** The engine process running now (a restart changes it). */
  readonly pid: number;
  stop(): Promise<void>;
}

const PORT_RETRIES = 10;
const PORT_RETRY_MS = 300;

/**
 * Keeps the embedded engine running: when its process dies (killed, out of memory) it is started again on
 * the same data directory and the same address, so the driver's monitor finds it and reconnects by itself
 * and nothing acknowledged is lost (the h2 backend commits every acknowledged write before replying). While
 * it restarts, requests fail as in any database outage (503 USDT_ERR_600). An engine that cannot be started
 * again, or dies more than `maxRestarts` times within `windowMs`, is given up on: `onGiveUp`.
 */
export async function superviseEmbeddedMongo(options: EngineSupervisorOptions): Promise<SupervisedEngine> {
  const {
    maxRestarts = 3,
    windowMs = 60_000,
    onRestarting,
    onRestarted,
    onGiveUp,
    ...engineOptions
  } = options;
  const restarts: number[] = [];
  let stopped = false;
  let current: EmbeddedMongo;

  const start = (listen: string | undefined) =>
    startEmbeddedMongo({ ...engineOptions, listen, onExit: (reason) => void restart(reason) });

  current = await start(engineOptions.listen);
  // The same host and port again on restart: the connection string the driver holds stays valid.
  const address = new URL(current.uri).host;

  async function restart(reason: string): Promise<void> {
    if (stopped) return;
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0] < now - windowMs) restarts.shift();
    if (restarts.length > maxRestarts) {
      onGiveUp(`${reason}; it died ${restarts.length} times within ${windowMs / 1000} s`);
      return;
    }
    onRestarting(reason);
    let lastError: unknown;
    for (let attempt = 0; attempt < PORT_RETRIES && !stopped; attempt++) {
      try {
        current = await start(address);
        onRestarted(current);
        return;
      } catch (err) {
        // Most often the port is not free yet, or the dead engine's file lock not yet released.
        lastError = err;
        await new Promise((r) => setTimeout(r, PORT_RETRY_MS));
      }
    }
    if (!stopped) onGiveUp(`${reason}; restarting it failed: ${(lastError as Error | undefined)?.message}`);
  }

  return {
    uri: current.uri,
    get pid() {
      return current.pid;
    },
    stop: () => {
      stopped = true;
      return current.stop();
    },
  };
}
