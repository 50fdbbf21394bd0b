import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, Matches } from 'class-validator';
import { join, resolve } from 'node:path';

import { BOOLEAN_PATTERN, envBoolean, registerEnvValidator } from '../env-validation';

export interface DatabaseConfig {
  /** Set: use this MongoDB. Unset: start the embedded engine. */
  uri?: string;
  dbName: string;
  /** Where the embedded engine keeps its file (engine.mv.db). */
  embeddedDataDir: string;
  /** A prebuilt embedded engine jar to use instead of building tools/embedded-mongo. */
  embeddedJar?: string;
  /** Force every embedded commit to the disk (power loss), not only to the operating system (a killed process). */
  embeddedFsync: boolean;
  /** Count every database command by command and collection (`mongodb_commands_total`); off by default. */
  commandMetrics: boolean;
}

class DatabaseEnv {
  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'MONGODB_URI must start with mongodb:// or mongodb+srv://' })
  MONGODB_URI?: string;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,63}$/, { message: 'MONGODB_DATABASE must be 1-63 letters, digits, _ or -' })
  MONGODB_DATABASE?: string;
  @IsOptional() @IsString() EMBEDDED_MONGO_JAR?: string;
  @IsOptional()
  @Matches(BOOLEAN_PATTERN, { message: 'EMBEDDED_MONGO_FSYNC must be true or false' })
  EMBEDDED_MONGO_FSYNC?: string;
  @IsOptional()
  @Matches(BOOLEAN_PATTERN, { message: 'MONGODB_COMMAND_METRICS must be true or false' })
  MONGODB_COMMAND_METRICS?: string;
}
registerEnvValidator(DatabaseEnv);

export const databaseConfig = registerAs('database', (): DatabaseConfig => {
  const env = process.env;
  return {
    uri: env.MONGODB_URI || undefined,
    dbName: env.MONGODB_DATABASE || 'usdt_manager',
    embeddedDataDir: join(resolve(env.DATA_DIR || './data'), 'db'),
    embeddedJar: env.EMBEDDED_MONGO_JAR ? resolve(env.EMBEDDED_MONGO_JAR) : undefined,
    embeddedFsync: envBoolean(env.EMBEDDED_MONGO_FSYNC, false),
    commandMetrics: envBoolean(env.MONGODB_COMMAND_METRICS, false),
  };
});
