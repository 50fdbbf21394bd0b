import { sign } from 'jsonwebtoken';

import { AuthConfig } from '@app/config';

import { Role } from './roles';

export interface TokenRequest {
  sub: string;
  roles: Role[];
  ttlSeconds: number;
}

/** Signs an HS256 token the service accepts; for development and tests (tokens come from an IdP otherwise). */
export function signDevToken(auth: AuthConfig, request: TokenRequest): string {
  if (auth.algorithm !== 'HS256' || !auth.jwtSecret) {
    throw new Error('tokens are verified with RS256 here: get them from your identity provider');
  }
  return sign({ roles: request.roles }, auth.jwtSecret, {
    algorithm: 'HS256',
    subject: request.sub,
    expiresIn: request.ttlSeconds,
    // jsonwebtoken refuses explicit undefined options, so these are only present when configured.
    ...(auth.issuer ? { issuer: auth.issuer } : {}),
    ...(auth.audience ? { audience: auth.audience } : {}),
  });
}
