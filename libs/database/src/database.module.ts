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
        serverSelectionTimeoutMS: 5_000,
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
