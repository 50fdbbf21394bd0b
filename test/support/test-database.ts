import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EmbeddedBackend, ensureEngineJar, startEmbeddedMongo } from '@app/database';

export interface TestDatabase {
  uri: string;
  dataDir: string;
  /** The engine process, for tests that kill or pause it. */
  pid: number;
  stop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** `memory` (default) when the suite never restarts the engine; `h2` to keep data across engine restarts. */
  backend?: EmbeddedBackend;
  /** Reuse this directory (an h2 engine restarted on the data of an earlier one); it is kept on stop. */
  dataDir?: string;
}

/** A fresh embedded engine, as a separate process: the suite's "real MongoDB". */
export async function startTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const jar = await ensureEngineJar();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'usdt-db-'));
  const backend = options.backend ?? 'memory';
  const engine = await startEmbeddedMongo({
    jar,
    backend,
    dataDir: backend === 'h2' ? dataDir : undefined,
    // The engine only writes warnings and errors: a test that trips one should show why.
    onLog: (line) => process.stderr.write(`[embedded-mongo] ${line}\n`),
  });
  return {
    uri: engine.uri,
    dataDir,
    pid: engine.pid,
    stop: async () => {
      await engine.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
