import { Logger } from '@nestjs/common';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import pino from 'pino';

import { DatabaseConfig } from '@app/config';

import { ensureEngineJar } from './embedded/engine-jar';
import { SupervisedEngine, superviseEmbeddedMongo } from './embedded/engine-supervisor';

export type DatabaseEngineKind = 'embedded' | 'external';

/**
 * Nest holds log lines back until the application is created, and the first-run engine build happens before
 * that and takes up to a minute: its notice is written at once, as a log line of the same JSON shape.
 */
const startupNotice = pino({ base: { pid: process.pid } });

/**
 * Which database the service talks to: the MongoDB named by MONGODB_URI, or the embedded engine that this
 * process started (and stops last, on shutdown). A dead embedded engine is restarted on its data; one that
 * cannot be kept running ends the process (exit code 1) rather than leave it serving without a database.
 */
export class DatabaseEngine {
  private constructor(
    readonly kind: DatabaseEngineKind,
    readonly uri: string,
    private readonly embedded?: SupervisedEngine,
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
    const embedded = await superviseEmbeddedMongo({
      jar,
      backend: 'h2',
      dataDir: config.embeddedDataDir,
      fsync: config.embeddedFsync,
      onLog: (line) => logger.warn(`engine: ${line}`),
      onRestarting: (reason) =>
        logger.error(
          `embedded engine died (${reason}): restarting it on its data; requests answer 503 meanwhile`,
        ),
      onRestarted: (engine) => logger.warn(`embedded engine restarted (pid ${engine.pid}) at ${engine.uri}`),
      onGiveUp: (reason) => {
        // Serving on without the database would only answer 503 forever and hide the fault from the
        // orchestrator: exit so that it restarts the whole service (and sees a failing process).
        logger.fatal(`embedded engine is gone (${reason}): exiting`);
        process.exit(1);
      },
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
