import fc from 'fast-check';
import { sign } from 'jsonwebtoken';
import { generateKeyPairSync } from 'node:crypto';

import { TEST_JWT_SECRET } from '../support/tokens';

/** A token that must not get a request to a handler, and how the service must refuse it. */
export interface AbusiveToken {
  kind: string;
  authorization: string;
  /**
   * 401 USDT_ERR_500: not a valid token; 403 USDT_ERR_501: valid, but no role the service knows; 431
   * USDT_ERR_100: so large that the HTTP parser refuses the headers before the service sees them.
   */
  expected: 401 | 403 | 431;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
// One RSA key for the whole run: generating one per case would dominate the suite's time.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

const subject = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const knownRoles = fc.subarray(['viewer', 'operator', 'admin'], { minLength: 1 });

/** Every kind of bad token the issue names, each with arbitrary subjects, roles and lifetimes. */
export const abusiveTokens: fc.Arbitrary<AbusiveToken> = fc.oneof(
  fc.record({ sub: subject, roles: knownRoles, ago: fc.integer({ min: 1, max: 10 ** 7 }) }).map((t) => ({
    kind: 'expired',
    authorization: `Bearer ${sign({ sub: t.sub, roles: t.roles, exp: now() - t.ago }, TEST_JWT_SECRET)}`,
    expected: 401 as const,
  })),
  fc.record({ sub: subject, roles: knownRoles, ahead: fc.integer({ min: 60, max: 10 ** 7 }) }).map((t) => ({
    kind: 'not yet valid',
    authorization: `Bearer ${sign({ sub: t.sub, roles: t.roles, nbf: now() + t.ahead }, TEST_JWT_SECRET, { expiresIn: '1d' })}`,
    expected: 401 as const,
  })),
  fc
    .record({ sub: subject, roles: knownRoles, secret: fc.string({ minLength: 1, maxLength: 64 }) })
    .map((t) => ({
      kind: 'wrong secret',
      authorization: `Bearer ${sign({ sub: t.sub, roles: t.roles }, `${t.secret}-not-the-secret`, { expiresIn: '1h' })}`,
      expected: 401 as const,
    })),
  fc.record({ sub: subject, roles: knownRoles, signature: fc.constantFrom('', 'AAAA') }).map((t) => ({
    kind: 'alg none',
    authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: t.sub, roles: t.roles, exp: now() + 600 })}.${t.signature}`,
    expected: 401 as const,
  })),
  fc.record({ sub: subject, roles: knownRoles }).map((t) => ({
    kind: 'RS256 instead of HS256',
    authorization: `Bearer ${sign({ sub: t.sub, roles: t.roles }, rsa, { algorithm: 'RS256', expiresIn: '1h' })}`,
    expected: 401 as const,
  })),
  fc
    .record({
      sub: subject,
      roles: knownRoles,
      alg: fc.constantFrom<'HS384' | 'HS512'>('HS384', 'HS512'),
    })
    .map((t) => ({
      kind: 'another HMAC algorithm',
      authorization: `Bearer ${sign({ sub: t.sub, roles: t.roles }, TEST_JWT_SECRET, { algorithm: t.alg, expiresIn: '1h' })}`,
      expected: 401 as const,
    })),
  fc.record({ sub: subject }).map((t) => {
    // A real viewer token whose payload is swapped for an admin one, keeping the viewer's signature.
    const [header, , signature] = sign({ sub: t.sub, roles: ['viewer'] }, TEST_JWT_SECRET, {
      expiresIn: '1h',
    }).split('.');
    return {
      kind: 'tampered payload',
      authorization: `Bearer ${header}.${b64({ sub: t.sub, roles: ['admin'], exp: now() + 3600 })}.${signature}`,
      expected: 401 as const,
    };
  }),
  fc
    .record({
      sub: subject,
      roles: fc.array(
        fc.string({ maxLength: 12 }).filter((r) => !['viewer', 'operator', 'admin'].includes(r)),
        { maxLength: 3 },
      ),
    })
    .map((t) => ({
      kind: 'unknown role',
      authorization: `Bearer ${sign({ sub: t.sub, roles: t.roles }, TEST_JWT_SECRET, { expiresIn: '1h' })}`,
      expected: 403 as const,
    })),
  fc
    .record({ sub: subject, role: fc.constantFrom('admin', 'operator', 'viewer', 'admin,operator') })
    .map((t) => ({
      kind: 'roles as a string',
      authorization: `Bearer ${sign({ sub: t.sub, roles: t.role }, TEST_JWT_SECRET, { expiresIn: '1h' })}`,
      expected: 403 as const,
    })),
  fc.record({ roles: knownRoles, sub: fc.constantFrom(undefined, '', 42, null) }).map((t) => ({
    kind: 'no usable subject',
    authorization: `Bearer ${sign({ sub: t.sub, roles: t.roles }, TEST_JWT_SECRET, { expiresIn: '1h' })}`,
    expected: 401 as const,
  })),
  fc.record({ size: fc.integer({ min: 20_000, max: 200_000 }) }).map((t) => ({
    kind: 'oversized token',
    authorization: `Bearer ${'A'.repeat(t.size)}`,
    expected: 431 as const,
  })),
  fc.record({ size: fc.integer({ min: 2_000, max: 8_000 }), roles: knownRoles }).map((t) => ({
    kind: 'huge token',
    authorization: `Bearer ${sign({ sub: 'x', roles: t.roles, pad: 'p'.repeat(t.size) }, 'wrong-secret-for-a-huge-token', { expiresIn: '1h' })}`,
    expected: 401 as const,
  })),
  fc
    .oneof(
      fc.constant('Bearer'),
      fc.constant('Bearer '),
      fc.constant('bearer'),
      fc.stringMatching(/^Basic [A-Za-z0-9+/=]{4,40}$/),
      fc.stringMatching(/^Bearer [!-~]{1,80}$/),
      fc.stringMatching(/^Bearer [A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{1,40}$/),
      fc.stringMatching(
        /^Bearer [A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{0,40}\.[A-Za-z0-9_-]{1,10}$/,
      ),
    )
    .map((authorization) => ({ kind: 'malformed', authorization, expected: 401 as const })),
);
