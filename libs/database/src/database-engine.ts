import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';

import { DatabaseConfig } from '@app/config';

import { EmbeddedMongo, startEmbeddedMongo } from './embedded/embedded-mongo';
import { ensureEngineBinary } from './embedded/engine-binary';

export type DatabaseEngineKind = 'embedded' | 'external';

/**
 * Which database the service talks to: the MongoDB named by MONGODB_URI, or the embedded engine that this
 * process started (and stops last, on shutdown).
 */
export class DatabaseEngine {
  private constructor(
    readonly kind: DatabaseEngineKind,
    readonly uri: string,
    private readonly embedded?: EmbeddedMongo,
  ) {}

  static async start(
    config: DatabaseConfig,
    logger = new Logger(DatabaseEngine.name),
  ): Promise<DatabaseEngine> {
    if (config.uri) return new DatabaseEngine('external', config.uri);

    const binary =
      config.embeddedBinary ?? (await ensureEngineBinary({ onBuild: (message) => logger.log(message) }));
    mkdirSync(config.embeddedDataDir, { recursive: true, mode: 0o700 });
    const embedded = await startEmbeddedMongo({ binary, dataDir: config.embeddedDataDir });
    logger.log(`embedded engine (FerretDB/SQLite) ready, data in ${config.embeddedDataDir}`);
    return new DatabaseEngine('embedded', embedded.uri, embedded);
  }

  async stop(): Promise<void> {
    await this.embedded?.stop();
  }
}
