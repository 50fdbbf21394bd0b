import { AppConfig, appConfig } from './app.config';
import { AuthConfig, authConfig } from './auth.config';
import { DatabaseConfig, databaseConfig } from './database.config';
import { LoggingConfig, loggingConfig } from './logging.config';
import { MetricsConfig, metricsConfig } from './metrics.config';

export const configNamespaces = [appConfig, loggingConfig, databaseConfig, authConfig, metricsConfig];

/** The shape of `ConfigService<AllConfig, true>`: one key per namespace. */
export interface AllConfig {
  app: AppConfig;
  logging: LoggingConfig;
  database: DatabaseConfig;
  auth: AuthConfig;
  metrics: MetricsConfig;
}

export { appConfig, authConfig, databaseConfig, loggingConfig, metricsConfig };
export type { AppConfig, AuthConfig, DatabaseConfig, LoggingConfig, MetricsConfig };
