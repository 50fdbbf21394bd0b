import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import { freePort } from './service-process';

export interface TestRedis {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

const NOT_FOUND = 'redis-server not found: apt-get install redis-server (.ci/run does this)';

/** The redis-server binary on PATH (or in the usual system places); fails with how to get one. */
export function redisServerBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(NOT_FOUND);
}

/**
 * A throw-away redis-server for one suite: its own port on 127.0.0.1, no persistence, stopped by `stop()`.
 * It runs under a small shell that waits on a pipe from this process and kills the server when the pipe
 * closes, so a test process that dies (process.exit, SIGKILL, a timeout) never leaves a server behind.
 */
export async function startTestRedis(timeoutMs = 10_000): Promise<TestRedis> {
  const binary = redisServerBinary();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'usdt-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  // The server runs in the background; a reader of this process's pipe kills it at end of input; the shell
  // ends with the server (and its exit code), whichever way the server stops.
  const watchdog =
    'exec 3<&0; "$0" "$@" </dev/null & pid=$!; (read _ <&3; kill "$pid" 2>/dev/null) & wait "$pid"';
  const child = spawn('/bin/sh', ['-c', watchdog, binary, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.stdin?.end();
      reject(new Error(`redis-server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    });
  });

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    child,
    stop: async () => {
      child.stdin?.end(); // the reader kills the server; the shell exits once it has stopped
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
