/**
 * Development tokens: `npm run token -- --role operator --sub alice [--ttl 1h]` prints a JWT the service
 * accepts, signed with the configured JWT_SECRET or the dev secret the service generated under DATA_DIR.
 * Refused in production, where tokens come from the identity provider.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';

import { isRole, Role, signDevToken } from '@app/auth';
import {
  appConfig,
  authConfig,
  ConfigurationError,
  missingDevJwtSecretFile,
  validateEnvironment,
} from '@app/config';

const TTL = /^(\d+)([smhd])$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** A refusal the operator can act on: printed as is, exit code 1. */
class Refusal extends Error {}

function parseTtl(value: string): number {
  const ttl = TTL.exec(value);
  if (!ttl) throw new InvalidArgumentError('must look like 30m, 1h or 7d');
  return Number(ttl[1]) * UNIT_SECONDS[ttl[2] as keyof typeof UNIT_SECONDS];
}

function collectRoles(value: string, previous: Role[] | undefined): Role[] {
  const roles = value.split(',').map((role) => role.trim());
  for (const role of roles)
    if (!isRole(role)) throw new InvalidArgumentError('must be viewer, operator or admin');
  return [...(previous ?? []), ...(roles as Role[])];
}

function program(): Command {
  return new Command('npm run token --')
    .description('Print a development JWT that the service on this DATA_DIR accepts (never in production).')
    .addOption(
      new Option('--role <roles>', 'viewer, operator or admin; repeat or comma-separate for several')
        .argParser(collectRoles)
        .makeOptionMandatory(),
    )
    .requiredOption('--sub <id>', "the token's subject (who acts, as the audit trail shows it)")
    .addOption(
      new Option('--ttl <duration>', 'lifetime: 30m, 1h, 7d').argParser(parseTtl).default(3600, '1h'),
    )
    .addHelpText(
      'after',
      '\nThe secret is JWT_SECRET when set, else the one the service generated in DATA_DIR/dev-secrets.json\n' +
        '(start the service once with the same DATA_DIR first). Tokens for RS256 (JWT_PUBLIC_KEY, JWT_JWKS_URI)\n' +
        'come from the identity provider.',
    )
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text.startsWith('error:') ? `token: ${text}` : text),
    });
}

/**
 * The secret the running service verifies with. Without JWT_SECRET that is the one it generated under
 * DATA_DIR: if there is none, a token signed now would be refused by the service with a bare 401, so
 * this refuses instead, naming the file it looked for (it never creates one: that is the service's job).
 */
function assertSecretAvailable(): void {
  const file = missingDevJwtSecretFile();
  if (!file) return;
  const { dataDir } = appConfig();
  throw new Refusal(
    `${file} ${existsSync(file) ? 'holds no JWT_SECRET' : 'does not exist'}: no service has generated a ` +
      `development secret in DATA_DIR=${dataDir}. Start the service once with this DATA_DIR, point DATA_DIR at ` +
      "the service's data directory, or set JWT_SECRET.",
  );
}

function main(argv: string[]): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const options = program().parse(argv, { from: 'user' }).opts<{ role: Role[]; sub: string; ttl: number }>();
  validateEnvironment(process.env);
  if (appConfig().isProduction) throw new Refusal('refusing to mint tokens with NODE_ENV=production');
  assertSecretAvailable();
  const token = signDevToken(authConfig(), {
    sub: options.sub,
    roles: options.role,
    ttlSeconds: options.ttl,
  });
  process.stdout.write(`${token}\n`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors were already printed by commander.
    process.exit(err.exitCode === 0 ? 0 : 64);
  }
  const message = err instanceof ConfigurationError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`token: ${message}\n`);
  process.exit(1);
}
