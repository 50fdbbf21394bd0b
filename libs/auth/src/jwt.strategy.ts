import { Injectable } from '@nestjs/common';
import { createPublicKey, createSecretKey } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy, StrategyOptionsWithoutRequest } from 'passport-jwt';

import { AllConfig, AuthConfig } from '@app/config';

import { AuthUser, isRole } from './roles';

interface TokenPayload {
  sub?: unknown;
  roles?: unknown;
}

/**
 * Bearer JWTs: HS256 with JWT_SECRET, or RS256 with a public key or JWKS endpoint. Exactly one algorithm is
 * accepted, which rules out `alg: none` and HS/RS confusion; expiry is enforced, issuer and audience when set.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(config: ConfigService<AllConfig, true>) {
    super(strategyOptions(config.getOrThrow('auth', { infer: true })));
  }

  validate(payload: TokenPayload): AuthUser | false {
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) return false;
    const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
    return { sub: payload.sub, roles };
  }
}

export function strategyOptions(auth: AuthConfig): StrategyOptionsWithoutRequest {
  const common = {
    jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
    ignoreExpiration: false,
    algorithms: [auth.algorithm],
    issuer: auth.issuer,
    audience: auth.audience,
  };
  if (auth.jwksUri) {
    return {
      ...common,
      secretOrKeyProvider: passportJwtSecret({ jwksUri: auth.jwksUri, cache: true, rateLimit: true }),
    };
  }
  const key = auth.jwtPublicKey
    ? createPublicKey(auth.jwtPublicKey)
    : auth.jwtSecret
      ? createSecretKey(Buffer.from(auth.jwtSecret, 'utf8'))
      : undefined;
  if (!key) throw new Error('auth: no JWT secret, public key or JWKS URI configured');
  // A KeyObject made once: given a string, jsonwebtoken tries to parse it as a public key on every request
  // (and, for a secret, fails and makes a secret key), which was a quarter of a cached read's CPU. Its types
  // say string | Buffer; jsonwebtoken takes a KeyObject as it is.
  return { ...common, secretOrKey: key as unknown as string };
}
