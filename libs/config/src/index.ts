export * from './config.module';
export * from './dev-secrets';
export * from './env-validation';
export * from './namespaces';
export type { NodeEnv } from './namespaces/app.config';
export type { LogLevel } from './namespaces/logging.config';
