import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import { AllConfig } from '@app/config';

import { DatabaseEngine } from './database-engine';

@Global()
@Module({
  providers: [
    {
      provide: DatabaseEngine,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AllConfig, true>) =>
        DatabaseEngine.start(config.getOrThrow('database', { infer: true })),
    },
  ],
  exports: [DatabaseEngine],
})
class DatabaseEngineModule {}

/**
 * The Mongoose connection, to MONGODB_URI or to the embedded engine. Repositories in other libs register
 * their schemas with `MongooseModule.forFeature` as usual.
 */
@Global()
@Module({
  imports: [
    DatabaseEngineModule,
    MongooseModule.forRootAsync({
      inject: [DatabaseEngine, ConfigService],
      useFactory: (engine: DatabaseEngine, config: ConfigService<AllConfig, true>) => ({
        uri: engine.uri,
        dbName: config.getOrThrow('database.dbName', { infer: true }),
        // Every route answers within 5 s while the database is down or hung (USDT_ERR_600, retryable):
        // - a stopped or restarting server: no server is selected within 3 s;
        serverSelectionTimeoutMS: 3_000,
        // - a hung one (SIGSTOPped, swapping, a dead link) keeps its TCP connections open and answers nothing,
        //   so an operation would wait forever; 4 s of silence on a socket ends it. No query of ours runs that
        //   long on a healthy server (lists are cursor pages, counts are indexed);
        socketTimeoutMS: 4_000,
        // - the monitor's own checks are bounded too, so it notices the hang and marks the server unknown.
        connectTimeoutMS: 3_000,
        // Fail fast instead of queueing writes while the database is away: callers get USDT_ERR_600.
        bufferCommands: false,
        autoIndex: true,
        // int64 values (amounts in base units) come back as bigint, never as a lossy number.
        useBigInt64: true,
      }),
    }),
  ],
  exports: [DatabaseEngineModule],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    private readonly engine: DatabaseEngine,
    @Inject(getConnectionToken()) private readonly connection: Connection,
  ) {}

  /** The engine stops last: close the connection first so no command is cut off mid-flight. */
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
    await this.engine.stop();
  }
}
