import { sign, SignOptions } from 'jsonwebtoken';

import type { Role } from '@app/auth';

/** The HS256 secret every in-process test app is configured with. */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export function tokenFor(
  roles: Role | Role[],
  options: { sub?: string; secret?: string; expiresIn?: SignOptions['expiresIn'] } = {},
): string {
  return sign({ roles: Array.isArray(roles) ? roles : [roles] }, options.secret ?? TEST_JWT_SECRET, {
    algorithm: 'HS256',
    subject: options.sub ?? `${Array.isArray(roles) ? roles.join('+') : roles}-user`,
    expiresIn: options.expiresIn ?? '10m',
  });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
