import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureEngineBinary, startEmbeddedMongo } from '@app/database';

export interface TestDatabase {
  uri: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** A fresh embedded engine in its own temp dir, as a separate process: the suite's "real MongoDB". */
export async function startTestDatabase(): Promise<TestDatabase> {
  const binary = await ensureEngineBinary();
  const dataDir = mkdtempSync(join(tmpdir(), 'usdt-db-'));
  const engine = await startEmbeddedMongo({ binary, dataDir });
  return {
    uri: engine.uri,
    dataDir,
    stop: async () => {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
