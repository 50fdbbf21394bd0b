import { INestApplication, Type } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TEST_JWT_SECRET } from './tokens';

export interface TestApp {
  app: INestApplication;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Boots the real application (createApp, as main.ts does) listening on a free port. Configuration goes
 * through the environment like in production, so it must be set before the app module is first imported:
 * every e2e file gets a fresh module registry from Jest, and this helper imports the app lazily.
 */
export async function startTestApp(options: {
  env?: Record<string, string | undefined>;
  rootModule?: () => Promise<Type>;
}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'usdt-app-'));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    ...options.env,
  });
  for (const [key, value] of Object.entries(options.env ?? {}))
    if (value === undefined) delete process.env[key];

  const { createApp } = await import('../../apps/usdt-manager/src/create-app');
  const rootModule = options.rootModule ? await options.rootModule() : undefined;
  const app = await createApp(rootModule);
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as import('node:http').Server;
  const address = server.address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    dataDir,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
