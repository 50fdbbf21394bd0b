import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const DATA_DIR_LOCK_FILE = 'usdt-manager.lock';

/** What the lock file says about its holder. */
export interface DataDirLockHolder {
  pid: number;
  /** `service`, `wallets list`, ...: what holds the directory. */
  command: string;
  startedAt: string;
}

/** Another live process holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirLockHolder,
  ) {
    super(
      `${dataDir} is in use by process ${holder.pid} (${holder.command}, since ${holder.startedAt}): ` +
        'two processes must not run the embedded engine or devnet on the same live data',
    );
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/**
 * One process at a time on a data directory: the service and the CLIs both start the embedded engine and
 * the devnet on the files under DATA_DIR, and two of each on the same files would corrupt them (or, for the
 * devnet, fork the chain). The lock is a file created exclusively (O_EXCL), holding the owner's pid. A lock
 * left by a process that died without releasing it (SIGKILL, power loss) is taken over: the pid no longer
 * runs. Released when the process exits, also on an uncaught error.
 */
export function acquireDataDirLock(dataDir: string, command: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, DATA_DIR_LOCK_FILE);
  const mine: DataDirLockHolder = { pid: process.pid, command, startedAt: new Date().toISOString() };
  // Twice at most: the second attempt follows the removal of a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      if (holder && holder.pid !== process.pid && isRunning(holder.pid))
        throw new DataDirLockedError(dataDir, holder);
      removeIfUnchanged(path, holder);
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(mine));
    } finally {
      closeSync(fd);
    }
    const release = () => {
      const holder = readHolder(path);
      if (holder?.pid === process.pid) removeIfUnchanged(path, holder);
      process.removeListener('exit', release);
    };
    process.on('exit', release);
    return { path, release };
  }
  throw new Error(`could not take the lock ${path}; remove it if no other process uses ${dataDir}`);
}

/** The holder of an existing lock, or null when the file is gone or unreadable (a crash mid-write). */
export function readHolder(path: string): DataDirLockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<DataDirLockHolder>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      command: String(parsed.command ?? 'unknown'),
      startedAt: String(parsed.startedAt ?? 'unknown'),
    };
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeIfUnchanged(path: string, expected: DataDirLockHolder | null): void {
  const current = readHolder(path);
  if (current?.pid !== expected?.pid) return;
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
