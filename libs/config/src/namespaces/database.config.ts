import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, Matches } from 'class-validator';
import { join, resolve } from 'node:path';

import { registerEnvValidator } from '../env-validation';

export interface DatabaseConfig {
  /** Set: use this MongoDB. Unset: start the embedded engine. */
  uri?: string;
  dbName: string;
  /** SQLite files of the embedded engine. */
  embeddedDataDir: string;
  /** A prebuilt embedded engine binary to use instead of building tools/embedded-mongo. */
  embeddedBinary?: string;
}

class DatabaseEnv {
  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'MONGODB_URI must start with mongodb:// or mongodb+srv://' })
  MONGODB_URI?: string;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,63}$/, { message: 'MONGODB_DATABASE must be 1-63 letters, digits, _ or -' })
  MONGODB_DATABASE?: string;
  @IsOptional() @IsString() EMBEDDED_MONGO_BINARY?: string;
}
registerEnvValidator(DatabaseEnv);

export const databaseConfig = registerAs('database', (): DatabaseConfig => {
  const env = process.env;
  return {
    uri: env.MONGODB_URI || undefined,
    dbName: env.MONGODB_DATABASE || 'usdt_manager',
    embeddedDataDir: join(resolve(env.DATA_DIR || './data'), 'db'),
    embeddedBinary: env.EMBEDDED_MONGO_BINARY ? resolve(env.EMBEDDED_MONGO_BINARY) : undefined,
  };
});
