import { registerAs } from '@nestjs/config';
import { IsOptional, MinLength } from 'class-validator';

import { registerEnvValidator } from '../env-validation';

export interface MetricsConfig {
  /** When set, GET /metrics requires `Authorization: Bearer <token>` (Prometheus `bearer_token`). */
  bearerToken?: string;
}

class MetricsEnv {
  @IsOptional()
  @MinLength(16, { message: 'METRICS_BEARER_TOKEN must be at least 16 characters' })
  METRICS_BEARER_TOKEN?: string;
}
registerEnvValidator(MetricsEnv);

export const metricsConfig = registerAs('metrics', (): MetricsConfig => ({
  bearerToken: process.env.METRICS_BEARER_TOKEN || undefined,
}));
