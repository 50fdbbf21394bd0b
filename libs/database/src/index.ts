export * from './database-engine';
export * from './database.module';
export * from './embedded/embedded-mongo';
export * from './embedded/engine-jar';
export * from './embedded/engine-supervisor';
export * from './database-errors';
export * from './outage/database-availability';
export * from './outage/database-deadline.middleware';
