import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

import { ConfigurationError, validateEnvironment } from './env-validation';
import { appConfig, loggingConfig, tronConfig } from './namespaces';

const shippedExample = parseEnv(
  readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8'),
) as Record<string, string>;

function refusal(env: Record<string, string>): string {
  try {
    validateEnvironment(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return (err as Error).message;
  }
  throw new Error('the environment was accepted');
}

/** Runs a namespace factory on exactly `env`, as the service reads it from process.env. */
function readWith<T>(env: Record<string, string>, factory: () => T): T {
  const saved = process.env;
  process.env = { ...env };
  try {
    return factory();
  } finally {
    process.env = saved;
  }
}

describe('validateEnvironment', () => {
  it('accepts .env.example as shipped, so `cp .env.example .env` starts on embedded defaults', () => {
    expect(() => validateEnvironment(shippedExample)).not.toThrow();
  });

  it('reads the blank settings of .env.example as their defaults, not as empty values', () => {
    const tron = readWith(shippedExample, tronConfig);
    expect(tron).toMatchObject({ fullHost: undefined, network: 'devnet', requestsPerSecond: 1000 });
    expect(readWith({ ...shippedExample, LOG_LEVEL: '' }, loggingConfig).level).toBe('info');
    expect(readWith({ ...shippedExample, NODE_ENV: '' }, appConfig).nodeEnv).toBe('development');
  });

  it('still refuses a bad value, naming the variable and not echoing it', () => {
    const message = refusal({ MONGODB_URI: 'postgres://secret-host/db' });
    expect(message).toMatch(/MONGODB_URI: must start with mongodb/);
    expect(message).not.toContain('secret-host');
  });

  it('refuses a blank secret that production requires, as if it were missing', () => {
    const message = refusal({ ...shippedExample, NODE_ENV: 'production', WALLET_MASTER_KEY: '' });
    expect(message).toMatch(/WALLET_MASTER_KEY: .*required in production/);
    expect(message).toMatch(/JWT_SECRET/);
  });
});
