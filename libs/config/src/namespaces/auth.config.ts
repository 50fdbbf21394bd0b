import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, IsUrl, MinLength, ValidateIf } from 'class-validator';
import { resolve } from 'node:path';

import { devSecretsPath, loadOrCreateDevSecret, readDevSecret } from '../dev-secrets';
import { registerEnvValidator } from '../env-validation';

export interface AuthConfig {
  /** HS256 secret; used when no public key or JWKS URI is configured. */
  jwtSecret?: string;
  /** RS256 public key (PEM) or JWKS endpoint: tokens issued by an identity provider. */
  jwtPublicKey?: string;
  jwksUri?: string;
  issuer?: string;
  audience?: string;
  algorithm: 'HS256' | 'RS256';
}

const usesAsymmetric = (env: AuthEnv) => Boolean(env.JWT_PUBLIC_KEY || env.JWT_JWKS_URI);
const isProduction = (env: AuthEnv) => env.NODE_ENV === 'production';

class AuthEnv {
  NODE_ENV?: string;

  @ValidateIf((env: AuthEnv) => isProduction(env) && !usesAsymmetric(env))
  @IsString({ message: 'JWT_SECRET is required in production (or set JWT_PUBLIC_KEY / JWT_JWKS_URI)' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsOptional()
  @IsString()
  JWT_PUBLIC_KEY?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['https', 'http'] }, { message: 'JWT_JWKS_URI must be a URL' })
  JWT_JWKS_URI?: string;

  @IsOptional() @IsString() JWT_ISSUER?: string;
  @IsOptional() @IsString() JWT_AUDIENCE?: string;
}
registerEnvValidator(AuthEnv);

export const authConfig = registerAs('auth', (): AuthConfig => {
  const env = process.env;
  const asymmetric = Boolean(env.JWT_PUBLIC_KEY || env.JWT_JWKS_URI);
  const jwtSecret =
    env.JWT_SECRET ||
    (asymmetric || env.NODE_ENV === 'production'
      ? undefined
      : loadOrCreateDevSecret(resolve(env.DATA_DIR || './data'), 'JWT_SECRET'));
  return {
    jwtSecret: asymmetric ? undefined : jwtSecret,
    jwtPublicKey: env.JWT_PUBLIC_KEY?.replace(/\\n/g, '\n') || undefined,
    jwksUri: env.JWT_JWKS_URI || undefined,
    issuer: env.JWT_ISSUER || undefined,
    audience: env.JWT_AUDIENCE || undefined,
    algorithm: asymmetric ? 'RS256' : 'HS256',
  };
});

/**
 * The dev-secrets file that reading the auth configuration would have to create for JWT_SECRET, or undefined
 * when nothing is missing (JWT_SECRET or an RS256 key is set, production, or the service generated it). For
 * tools that must sign what the running service accepts: they refuse instead of inventing a secret.
 */
export function missingDevJwtSecretFile(): string | undefined {
  const env = process.env;
  if (env.JWT_SECRET || env.JWT_PUBLIC_KEY || env.JWT_JWKS_URI || env.NODE_ENV === 'production')
    return undefined;
  const dataDir = resolve(env.DATA_DIR || './data');
  return readDevSecret(dataDir, 'JWT_SECRET') ? undefined : devSecretsPath(dataDir);
}
