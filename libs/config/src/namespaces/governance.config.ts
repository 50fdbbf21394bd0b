import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, IsUrl, Matches, MinLength } from 'class-validator';

import { envInt, envList, INTEGER_PATTERN, registerEnvValidator } from '../env-validation';

export interface GovernanceConfig {
  /** The security policy file: limits, KYC, screening, rules, approvals, rate limits, IP allow-lists. */
  policyFile: string;
  /** How long an instance may use its cached copy of the policies before re-reading the database. */
  policyRefreshMs: number;
  /** How often pending approvals are checked for expiry. */
  approvalSweepMs: number;
  /**
   * How old the emergency-stop state checked before a signature or send may be: each instance reads it at
   * most once per this interval, so a stop written elsewhere takes effect here within it (plus one read).
   */
  emergencyStateMaxAgeMs: number;
  /** Shared rate-limit storage: with it, limits hold across instances; without, each instance counts alone. */
  redisUrl?: string;
  /**
   * Proxies whose X-Forwarded-For is believed (Express `trust proxy` values: CIDRs, addresses or
   * loopback/linklocal/uniquelocal). Empty: the socket address is the client.
   */
  trustedProxies: string[];
  /** External AML screening service (enabled and tuned in the policy file). */
  amlProviderUrl?: string;
  amlProviderApiKey?: string;
}

const int = (name: string) => Matches(INTEGER_PATTERN, { message: `${name} must be an integer` });

class GovernanceEnv {
  @IsOptional() @IsString() POLICY_FILE?: string;
  @IsOptional() @int('POLICY_REFRESH_MS') POLICY_REFRESH_MS?: string;
  @IsOptional() @int('APPROVAL_SWEEP_INTERVAL_MS') APPROVAL_SWEEP_INTERVAL_MS?: string;
  @IsOptional() @int('EMERGENCY_STATE_MAX_AGE_MS') EMERGENCY_STATE_MAX_AGE_MS?: string;
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;
  @IsOptional() @IsString() TRUSTED_PROXIES?: string;
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'] },
    { message: 'AML_PROVIDER_URL must be an http(s) URL' },
  )
  AML_PROVIDER_URL?: string;
  @IsOptional()
  @MinLength(8, { message: 'AML_PROVIDER_API_KEY must be at least 8 characters' })
  AML_PROVIDER_API_KEY?: string;
}
registerEnvValidator(GovernanceEnv);

export const governanceConfig = registerAs('governance', (): GovernanceConfig => {
  const env = process.env;
  return {
    policyFile: env.POLICY_FILE || 'config/security-policies.yaml',
    policyRefreshMs: Math.max(100, envInt(env.POLICY_REFRESH_MS, 2000)),
    approvalSweepMs: Math.max(100, envInt(env.APPROVAL_SWEEP_INTERVAL_MS, 30_000)),
    emergencyStateMaxAgeMs: Math.min(5000, envInt(env.EMERGENCY_STATE_MAX_AGE_MS, 250)),
    redisUrl: env.REDIS_URL || undefined,
    trustedProxies: envList(env.TRUSTED_PROXIES),
    amlProviderUrl: env.AML_PROVIDER_URL || undefined,
    amlProviderApiKey: env.AML_PROVIDER_API_KEY || undefined,
  };
});
