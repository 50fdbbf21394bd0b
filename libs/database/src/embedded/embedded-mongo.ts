import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { withoutConnectionResets } from './engine-log-filter';

/** `h2`: a file under dataDir, every acknowledged write on file before the reply. `memory`: nothing kept. */
export type EmbeddedBackend = 'h2' | 'memory';

export interface EmbeddedMongoOptions {
  jar: string;
  backend: EmbeddedBackend;
  /** Required for the h2 backend. */
  dataDir?: string;
  /** Defaults to a free port on 127.0.0.1. */
  listen?: string;
  /** Also force each commit to the disk (survives power loss, not only a killed engine). */
  fsync?: boolean;
  readyTimeoutMs?: number;
  /** Receives each line the engine writes to stderr (its warnings and errors); by default they are dropped. */
  onLog?: (line: string) => void;
  /** Called when the engine ends after it was ready without `stop()` asking it to (it crashed or was killed). */
  onExit?: (reason: string) => void;
}

export interface EmbeddedMongo {
  readonly uri: string;
  readonly pid: number;
  readonly backend: EmbeddedBackend;
  stop(): Promise<void>;
}

/** JAVA_HOME's java when set (as Maven does), else the one on the PATH. */
function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/**
 * Starts the embedded engine as a child process and resolves once it prints its ready line. The child exits
 * by itself when this process dies (its stdin closes), so a SIGKILLed service never leaves an orphan behind.
 */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  if (options.backend === 'h2' && !options.dataDir) throw new Error('the h2 backend needs a dataDir');
  const args = [
    // A broken engine must die rather than answer half-working; the service then stops or restarts it.
    '-XX:+ExitOnOutOfMemoryError',
    '-jar',
    options.jar,
    '--backend',
    options.backend,
    '--listen',
    options.listen ?? '127.0.0.1:0',
    '--exit-on-stdin-close',
    ...(options.dataDir ? ['--data-dir', options.dataDir] : []),
    ...(options.fsync ? ['--fsync'] : []),
  ];
  const engine = await startEngineProcess(javaCommand(), args, options);
  return { ...engine, backend: options.backend };
}

/**
 * Spawns a MongoDB-wire engine that announces itself with one `{"event":"ready","uri":...}` line on stdout
 * and stops on SIGTERM or when its stdin closes. (The benchmark also runs the earlier FerretDB build this way.)
 */
export function startEngineProcess(
  command: string,
  args: string[],
  {
    readyTimeoutMs = 30_000,
    onLog,
    onExit,
  }: Pick<EmbeddedMongoOptions, 'readyTimeoutMs' | 'onLog' | 'onExit'> = {},
): Promise<Omit<EmbeddedMongo, 'backend'>> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  if (onLog) {
    const sink = withoutConnectionResets(onLog);
    createInterface({ input: child.stderr })
      .on('line', (line) => sink.write(line))
      .on('close', () => sink.end());
  }

  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded engine did not become ready in time${stderr ? `: ${stderr.trim()}` : ''}`));
    }, readyTimeoutMs);

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
      let stopping = false;
      child.once('exit', (code, signal) => {
        if (!stopping) onExit?.(signal ? `killed by ${signal}` : `exit code ${code}`);
      });
      resolvePromise({
        uri: ready.uri,
        pid: child.pid!,
        stop: () => {
          stopping = true;
          return stopChild(child);
        },
      });
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new Error(
          err.code === 'ENOENT'
            ? `${command} is not installed, so the embedded MongoDB-compatible engine cannot run. Install ` +
                'Java 17+ (or set JAVA_HOME), or set MONGODB_URI to a MongoDB 6+ server.'
            : `embedded engine failed to start: ${err.message}`,
        ),
      );
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
