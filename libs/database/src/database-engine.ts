import { Logger } from '@nestjs/common';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import pino from 'pino';

import { DatabaseConfig } from '@app/config';

import { EmbeddedMongo, startEmbeddedMongo } from './embedded/embedded-mongo';
import { ensureEngineJar } from './embedded/engine-jar';

export type DatabaseEngineKind = 'embedded' | 'external';

/**
 * Nest holds log lines back until the application is created, and the first-run engine build happens before
 * that and takes up to a minute: its notice is written at once, as a log line of the same JSON shape.
 */
const startupNotice = pino({ base: { pid: process.pid } });

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

    const jar =
      config.embeddedJar ??
      (await ensureEngineJar({
        onBuild: (message) => startupNotice.info({ context: DatabaseEngine.name }, message),
      }));
    mkdirSync(config.embeddedDataDir, { recursive: true, mode: 0o700 });
    warnAboutFerretDbFiles(config.embeddedDataDir, logger);
    const embedded = await startEmbeddedMongo({
      jar,
      backend: 'h2',
      dataDir: config.embeddedDataDir,
      fsync: config.embeddedFsync,
      onLog: (line) => logger.warn(`engine: ${line}`),
    });
    logger.log(
      `embedded engine (mongo-java-server, H2${config.embeddedFsync ? ', fsync' : ''}) ready, ` +
        `data in ${config.embeddedDataDir}`,
    );
    return new DatabaseEngine('embedded', embedded.uri, embedded);
  }

  async stop(): Promise<void> {
    await this.embedded?.stop();
  }
}

/** Data written by the earlier engine (FerretDB on SQLite) is not read by this one; say so instead of hiding it. */
function warnAboutFerretDbFiles(dataDir: string, logger: Logger): void {
  if (!existsSync(dataDir)) return;
  const old = readdirSync(dataDir).filter((name) => name.endsWith('.sqlite'));
  if (old.length === 0) return;
  logger.warn(
    `${dataDir} holds SQLite files of the earlier embedded engine (FerretDB: ${old.join(', ')}); the engine ` +
      'now keeps its data in engine.mv.db and does not read them. Move them away to silence this warning.',
  );
}
