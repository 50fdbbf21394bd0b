import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { acquireDataDirLock, DATA_DIR_LOCK_FILE, DataDirLockedError, readHolder } from './data-dir-lock';

describe('acquireDataDirLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'usdt-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes this process as the holder and removes the file on release', () => {
    const lock = acquireDataDirLock(dir, 'service');
    expect(readHolder(lock.path)).toMatchObject({ pid: process.pid, command: 'service' });
    lock.release();
    expect(existsSync(join(dir, DATA_DIR_LOCK_FILE))).toBe(false);
  });

  it('refuses while another live process holds it, naming that pid', () => {
    // The parent of this test process is alive for the whole test.
    writeFileSync(
      join(dir, DATA_DIR_LOCK_FILE),
      JSON.stringify({ pid: process.ppid, command: 'service', startedAt: '2026-12-02T10:00:00.000Z' }),
    );
    let refused: unknown;
    try {
      acquireDataDirLock(dir, 'wallets list');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toContain(`in use by process ${process.ppid} (service`);
    expect(readHolder(join(dir, DATA_DIR_LOCK_FILE))?.pid).toBe(process.ppid);
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    writeFileSync(
      join(dir, DATA_DIR_LOCK_FILE),
      JSON.stringify({ pid: deadPid, command: 'service', startedAt: '2026-12-02T10:00:00.000Z' }),
    );
    const lock = acquireDataDirLock(dir, 'wallets list');
    expect(readHolder(lock.path)).toMatchObject({ pid: process.pid, command: 'wallets list' });
    lock.release();
  });
});
