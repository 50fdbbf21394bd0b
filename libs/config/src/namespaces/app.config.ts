import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { resolve } from 'node:path';

import { envInt, envList, INTEGER_PATTERN, registerEnvValidator } from '../env-validation';

export type NodeEnv = 'development' | 'test' | 'production';

export interface AppConfig {
  nodeEnv: NodeEnv;
  isProduction: boolean;
  host: string;
  port: number;
  /** Where the embedded engine, the devnet chain and generated dev secrets live. */
  dataDir: string;
  /** Holds usdt-error-codes.yaml and security-policies.yaml. */
  configDir: string;
  /** How long in-flight requests may run after a stop signal before the process exits. */
  shutdownGraceMs: number;
  bodyLimit: string;
  corsOrigins: string[];
}

class AppEnv {
  @IsOptional() @IsIn(['development', 'test', 'production']) NODE_ENV?: string;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional() @Matches(INTEGER_PATTERN, { message: 'PORT must be an integer' }) PORT?: string;
  @IsOptional() @IsString() DATA_DIR?: string;
  @IsOptional() @IsString() CONFIG_DIR?: string;
  @IsOptional()
  @Matches(INTEGER_PATTERN, { message: 'SHUTDOWN_GRACE_MS must be an integer' })
  SHUTDOWN_GRACE_MS?: string;
  @IsOptional()
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT?: string;
  @IsOptional() @IsString() CORS_ORIGINS?: string;
}
registerEnvValidator(AppEnv);

export const appConfig = registerAs('app', (): AppConfig => {
  const env = process.env;
  const nodeEnv = (env.NODE_ENV as NodeEnv | undefined) || 'development';
  return {
    nodeEnv,
    isProduction: nodeEnv === 'production',
    host: env.HOST || '0.0.0.0',
    port: envInt(env.PORT, 3000),
    dataDir: resolve(env.DATA_DIR || './data'),
    configDir: resolve(env.CONFIG_DIR || './config'),
    shutdownGraceMs: envInt(env.SHUTDOWN_GRACE_MS, 10_000),
    bodyLimit: env.BODY_LIMIT || '256kb',
    corsOrigins: envList(env.CORS_ORIGINS),
  };
});
