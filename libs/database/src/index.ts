export * from './database-engine';
export * from './database.module';
export * from './embedded/embedded-mongo';
export * from './embedded/engine-jar';
export * from './database-errors';
