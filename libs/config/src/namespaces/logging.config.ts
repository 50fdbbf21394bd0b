import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional } from 'class-validator';

import { registerEnvValidator } from '../env-validation';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggingConfig {
  level: LogLevel;
}

class LoggingEnv {
  @IsOptional() @IsIn(LOG_LEVELS) LOG_LEVEL?: string;
}
registerEnvValidator(LoggingEnv);

export const loggingConfig = registerAs('logging', (): LoggingConfig => ({
  level: (process.env.LOG_LEVEL as LogLevel | undefined) || 'info',
}));
