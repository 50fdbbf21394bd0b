import { AppConfig, appConfig } from './app.config';
import { AuthConfig, authConfig } from './auth.config';
import { DatabaseConfig, databaseConfig } from './database.config';
import { GovernanceConfig, governanceConfig } from './governance.config';
import { LoggingConfig, loggingConfig } from './logging.config';
import { MetricsConfig, metricsConfig } from './metrics.config';
import { TransfersConfig, transfersConfig } from './transfers.config';
import { TronConfig, tronConfig } from './tron.config';
import { WalletsConfig, walletsConfig } from './wallets.config';

export const configNamespaces = [
  appConfig,
  loggingConfig,
  databaseConfig,
  authConfig,
  metricsConfig,
  tronConfig,
  walletsConfig,
  transfersConfig,
  governanceConfig,
];

/** The shape of `ConfigService<AllConfig, true>`: one key per namespace. */
export interface AllConfig {
  app: AppConfig;
  logging: LoggingConfig;
  database: DatabaseConfig;
  auth: AuthConfig;
  metrics: MetricsConfig;
  tron: TronConfig;
  wallets: WalletsConfig;
  transfers: TransfersConfig;
  governance: GovernanceConfig;
}

export {
  appConfig,
  authConfig,
  databaseConfig,
  loggingConfig,
  metricsConfig,
  tronConfig,
  walletsConfig,
  transfersConfig,
  governanceConfig,
};
export type {
  GovernanceConfig,
  TransfersConfig,
  AppConfig,
  AuthConfig,
  DatabaseConfig,
  LoggingConfig,
  MetricsConfig,
  TronConfig,
  WalletsConfig,
};
export type { MasterKey } from './wallets.config';
export { KNOWN_USDT_CONTRACTS, TRON_NETWORKS } from './tron.config';
export type { TronNetworkName } from './tron.config';
export { missingDevJwtSecretFile } from './auth.config';
