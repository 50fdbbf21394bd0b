import {
  Global,
  Inject,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getConnectionToken, MongooseModule, type MongooseModuleOptions } from '@nestjs/mongoose';
import mongoose, { type Connection } from 'mongoose';

import { AllConfig } from '@app/config';

import { DatabaseEngine } from './database-engine';
import { commandMetricProvider, CommandMetrics } from './monitoring/command-metrics';
import { DatabaseAvailability } from './outage/database-availability';
import { DatabaseDeadlineMiddleware } from './outage/database-deadline.middleware';

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

/** How the service connects: what each timeout is for, and how values come back. */
function connectionOptions(
  engine: DatabaseEngine,
  config: ConfigService<AllConfig, true>,
): MongooseModuleOptions {
  return {
    uri: engine.uri,
    dbName: config.getOrThrow('database.dbName', { infer: true }),
    // Every route answers within 5 s while the database is down or hung (USDT_ERR_600, retryable): the
    // driver ends each wait on its own, and DatabaseDeadlineMiddleware bounds the whole request; measured
    // in test/foundation/database-outage.e2e-spec.ts.
    // - A stopped or restarting server: no server is selected within 3 s.
    serverSelectionTimeoutMS: 3_000,
    // - A hung one (SIGSTOPped, swapping, a dead link) keeps its TCP connections open and answers nothing,
    //   so an operation would wait forever: 3 s of silence on a socket ends it. No query of ours runs
    //   that long on a healthy server (lists are cursor pages, counts are indexed).
    socketTimeoutMS: 3_000,
    // - Meanwhile the worker's polls queue up for new connections, whose handshakes hang too (at most 2
    //   are opened at a time): a request waits at most 2.5 s for one instead of behind all of them (and
    //   the deadline middleware answers an HTTP request at 3.5 s once the server is seen unreachable).
    //   Not shorter: a healthy but busy server (a burst of 200 concurrent payouts on 2 cores) keeps
    //   callers waiting over 1 s for a connection, and those must queue, not fail.
    waitQueueTimeoutMS: 2_500,
    connectTimeoutMS: 2_000,
    // - The monitor checks every 2 s (not 10), so a hang marks the server unknown within ~4 s and later
    //   requests fail at server selection; after SIGCONT or a restart it is found again as quickly.
    heartbeatFrequencyMS: 2_000,
    // - The driver's own retry of a read would add a server selection (7 s measured); the caller retries
    //   the 503 instead. Writes are not retried by the driver on a standalone server anyway.
    retryReads: false,
    // Fail fast instead of queueing writes while the database is away: callers get USDT_ERR_600.
    bufferCommands: false,
    autoIndex: true,
    // A collection is made by its first index or insert. Mongoose's autoCreate sends `create` for every model
    // at every start, which fails by design on the collections that exist (code 48, ignored), and which the
    // embedded engine reports as an ERROR with some 30 stack lines each: 350 warning lines per restart.
    autoCreate: false,
    // int64 values (amounts in base units) come back as bigint, never as a lossy number.
    useBigInt64: true,
    // Command events only when they are counted (mongodb_commands_total): they cost an object per command.
    monitorCommands: config.getOrThrow('database.commandMetrics', { infer: true }),
  };
}

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
      useFactory: (engine: DatabaseEngine, config: ConfigService<AllConfig, true>) => {
        // Mongoose records a stack trace at every query's exec, only to quote it should the same query object
        // run twice (none of ours does): that was about 4% of the CPU of GET /transfers/:id under load, more
        // with source maps. Global, because Mongoose reads it from the instance that made the connection.
        mongoose.set('skipOriginalStackTraces', true);
        return connectionOptions(engine, config);
      },
    }),
  ],
  providers: [DatabaseAvailability, commandMetricProvider, CommandMetrics],
  exports: [DatabaseEngineModule, DatabaseAvailability],
})
export class DatabaseModule implements NestModule, OnApplicationShutdown {
  constructor(
    private readonly engine: DatabaseEngine,
    @Inject(getConnectionToken()) private readonly connection: Connection,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(DatabaseDeadlineMiddleware).forRoutes('*path');
  }

  /** The engine stops last: close the connection first so no command is cut off mid-flight. */
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
    await this.engine.stop();
  }
}
