/**
 * Development tokens: `npm run token -- --role operator --sub alice [--ttl 1h]` prints a JWT the service
 * accepts, signed with the configured (or generated dev) secret. Refused in production, where tokens come
 * from the identity provider.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { isRole, signDevToken } from '@app/auth';
import { appConfig, authConfig, ConfigurationError, validateEnvironment } from '@app/config';

const USAGE = 'usage: npm run token -- --role <viewer|operator|admin> [--role ...] --sub <id> [--ttl 1h]';
const TTL = /^(\d+)([smhd])$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

function main(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
    },
  });
  validateEnvironment(process.env);
  if (appConfig().isProduction) throw new Error('refusing to mint tokens with NODE_ENV=production');

  const roles = (values.role ?? []).flatMap((role) => role.split(','));
  if (roles.length === 0 || !roles.every(isRole) || !values.sub) throw new Error(USAGE);
  const ttl = TTL.exec(values.ttl ?? '');
  if (!ttl) throw new Error(`--ttl must look like 30m, 1h or 7d\n${USAGE}`);
  const ttlSeconds = Number(ttl[1]) * UNIT_SECONDS[ttl[2] as keyof typeof UNIT_SECONDS];

  process.stdout.write(`${signDevToken(authConfig(), { sub: values.sub, roles: roles, ttlSeconds })}\n`);
}

try {
  main();
} catch (err) {
  const message = err instanceof ConfigurationError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`token: ${message}\n`);
  process.exit(1);
}
