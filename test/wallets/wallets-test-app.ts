import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TEST_JWT_SECRET } from '../support/tokens';

export interface WalletsTestApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Boots the wallets lib over HTTP against the embedded engine in a temp DATA_DIR. The environment is set
 * before the modules are imported (lazily), as configuration is read from it like in production.
 */
export async function startWalletsTestApp(options: { withTron: boolean }): Promise<WalletsTestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'usdt-wallets-'));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    DEVNET_BLOCK_MS: '500',
  });
  for (const name of ['MONGODB_URI', 'TRON_FULL_HOST', 'WALLET_MASTER_KEY', 'WALLET_PREVIOUS_MASTER_KEYS']) {
    delete process.env[name];
  }
  const { WalletsTestAppModule } = await import('./wallets-app.module');
  const app = await NestFactory.create(WalletsTestAppModule.create(options), {
    logger: process.env.TEST_LOG_LEVEL ? undefined : false,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
