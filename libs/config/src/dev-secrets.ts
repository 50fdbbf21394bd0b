import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FILE_NAME = 'dev-secrets.json';

/** Where generated development secrets live under a data directory. */
export function devSecretsPath(dataDir: string): string {
  return join(dataDir, FILE_NAME);
}

/**
 * A generated secret if it exists, without creating one: for tools that must agree with a service that
 * already runs (a token signed with a secret the service never saw is refused with a bare 401).
 */
export function readDevSecret(dataDir: string, name: string): string | undefined {
  const value = readSecrets(devSecretsPath(dataDir))[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Outside production, a secret that is not configured is generated once and kept in `<dataDir>/dev-secrets.json`
 * (mode 0600) so that restarts and `npm run token` agree. Production never reaches this: its validator
 * requires the secret.
 */
export function loadOrCreateDevSecret(dataDir: string, name: string, bytes = 32): string {
  const path = devSecretsPath(dataDir);
  const secrets = readSecrets(path);
  const existing = secrets[name];
  if (typeof existing === 'string' && existing.length > 0) return existing;

  secrets[name] = randomBytes(bytes).toString('base64');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  return secrets[name];
}

function readSecrets(path: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`${path} exists but cannot be read as JSON; fix or delete it`);
  }
}
