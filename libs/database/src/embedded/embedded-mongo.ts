import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface EmbeddedMongoOptions {
  binary: string;
  dataDir: string;
  /** Defaults to a free port on 127.0.0.1. */
  listen?: string;
  readyTimeoutMs?: number;
}

export interface EmbeddedMongo {
  readonly uri: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the embedded engine as a child process and resolves once it prints its ready line. The child exits
 * by itself when this process dies (its stdin closes), so a SIGKILLed service never leaves an orphan behind.
 */
export function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const child = spawn(
    options.binary,
    ['--data-dir', options.dataDir, '--listen', options.listen ?? '127.0.0.1:0', '--exit-on-stdin-close'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded engine did not become ready in time${stderr ? `: ${stderr.trim()}` : ''}`));
    }, options.readyTimeoutMs ?? 30_000);

    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let ready: { event?: string; uri?: string };
      try {
        ready = JSON.parse(line) as typeof ready;
      } catch {
        return;
      }
      if (ready.event !== 'ready' || !ready.uri) return;
      clearTimeout(timer);
      resolvePromise({ uri: ready.uri, pid: child.pid!, stop: () => stopChild(child) });
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`embedded engine failed to start: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`embedded engine exited (${signal ?? code}) before it was ready: ${stderr.trim()}`));
    });
  });
}

function stopChild(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}
