/**
 * Hot-wallet administration without the HTTP API:
 *
 *   npm run wallets -- import --label payouts-1     key from stdin (hidden prompt on a terminal) or from
 *                                                   WALLET_IMPORT_PRIVATE_KEY; never from argv (visible in ps)
 *   npm run wallets -- list [--no-balances] [--json]
 *   npm run wallets -- rotate                       re-encrypt every key under the current master key
 *
 * With the embedded database, stop the service first: both would open the same files under DATA_DIR.
 */
import { DynamicModule, LoggerService, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { CommonModule } from '@app/common';
import { AppConfigModule, ConfigurationError, validateEnvironment } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ImportWallet, ListWallets, RotateMasterKey, WalletListing, WalletsCoreModule } from '@app/wallets';

const USAGE = [
  'usage: npm run wallets -- import --label <label>   (private key on stdin or in WALLET_IMPORT_PRIVATE_KEY)',
  '       npm run wallets -- list [--no-balances] [--json]',
  '       npm run wallets -- rotate',
].join('\n');

/** Every log line goes to stderr, so stdout carries only the command's result (pipe-able with --json). */
const stderrLogger: LoggerService = {
  // Nest passes the logger's context as the last parameter (error() may put a stack before it).
  log: (message: unknown, ...params: unknown[]) => writeLog('info', message, params.at(-1)),
  warn: (message: unknown, ...params: unknown[]) => writeLog('warn', message, params.at(-1)),
  error: (message: unknown, ...params: unknown[]) => writeLog('error', message, params.at(-1)),
};

/** Nest's own start-up chatter says nothing an operator of this command needs. */
const QUIET_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'NestApplicationContext']);

function writeLog(level: string, message: unknown, last: unknown): void {
  const context = typeof last === 'string' ? last : undefined;
  if (level === 'info' && context && QUIET_CONTEXTS.has(context)) return;
  process.stderr.write(`[${level}]${context ? ` ${context}:` : ''} ${String(message)}\n`);
}

@Module({})
class WalletsCliModule {
  /**
   * The TRON connection is loaded only when balances are wanted: without it nothing starts a devnet. The core
   * module has no devnet bootstrap, so no command of this CLI creates or funds a wallet by itself.
   */
  static forCommand(extra: Type[]): DynamicModule {
    return {
      module: WalletsCliModule,
      imports: [AppConfigModule, CommonModule, DatabaseModule, ...extra, WalletsCoreModule],
    };
  }
}

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      label: { type: 'string' },
      'no-balances': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command] = positionals;
  if (values.help || !command || positionals.length > 1) throw new UsageError(USAGE);
  validateEnvironment(process.env);

  switch (command) {
    case 'import': {
      if (!values.label) throw new UsageError(`--label is required\n${USAGE}`);
      const privateKey = await readPrivateKey();
      const listing = await withContext([], (app) =>
        app.get(ImportWallet).execute({ privateKey, label: values.label! }),
      );
      printListings([listing], values.json);
      return 0;
    }
    case 'list': {
      const withBalances = !values['no-balances'];
      const listings = await withContext(withBalances ? await tronModules() : [], (app) =>
        app.get(ListWallets).execute({ balances: withBalances }),
      );
      printListings(listings, values.json);
      return 0;
    }
    case 'rotate': {
      const result = await withContext([], (app) => app.get(RotateMasterKey).execute());
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      // Non-zero while some records still need an old master key: it must not be removed yet.
      return result.failed.length ? 2 : 0;
    }
    default:
      // Echo only word-like input: a key pasted as the command must not end up in a terminal log.
      throw new UsageError(
        `unknown command${/^[a-z-]{1,20}$/.test(command) ? ` "${command}"` : ''}\n${USAGE}`,
      );
  }
}

/**
 * The modules that provide live balances: the global TRON module. Imported lazily so that the other commands
 * never load it; with TRON_FULL_HOST unset it starts the devnet from DATA_DIR/devnet for the listing.
 */
async function tronModules(): Promise<Type[]> {
  const { TronModule } = await import('@app/tron');
  return [TronModule];
}

async function withContext<T>(
  extra: Type[],
  run: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<T>,
): Promise<T> {
  const app = await NestFactory.createApplicationContext(WalletsCliModule.forCommand(extra), {
    logger: stderrLogger,
  });
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

/**
 * The key comes from WALLET_IMPORT_PRIVATE_KEY (removed from the environment once read) or from stdin: piped,
 * or typed at a hidden prompt. Never from argv, which every user of the machine can read with `ps`.
 */
async function readPrivateKey(): Promise<string> {
  const fromEnv = process.env.WALLET_IMPORT_PRIVATE_KEY;
  delete process.env.WALLET_IMPORT_PRIVATE_KEY;
  const raw =
    fromEnv ??
    (process.stdin.isTTY ? await promptHidden('private key (hex, not shown): ') : await readStdin());
  const key = raw.trim();
  if (!key) throw new UsageError('no private key given on stdin or in WALLET_IMPORT_PRIVATE_KEY');
  return key;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  const text = all.toString('utf8');
  for (const buffer of [all, ...chunks]) buffer.fill(0);
  return text;
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let input = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(input);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new UsageError('cancelled'));
        if (char === '\u007f' || char === '\b') input = input.slice(0, -1);
        else input += char;
      }
    };
    stdin.on('data', onData);
  });
}

function printListings(listings: WalletListing[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(listings, null, 2)}\n`);
    return;
  }
  const rows = [
    ['ADDRESS', 'LABEL', 'KEY ID', 'STATE', 'USDT', 'TRX (sun)', 'CREATED'],
    ...listings.map((w) => [
      w.address,
      w.label,
      w.keyId,
      w.disabled ? 'disabled' : 'enabled',
      w.usdt ?? '-',
      w.trxSun ?? '-',
      w.createdAt,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) {
    process.stdout.write(
      `${row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
}

class UsageError extends Error {}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Known errors print their message only; anything else its message, never a stack holding inputs.
    const message = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: unknown }).code;
    process.stderr.write(`wallets: ${typeof code === 'string' ? `${code} ` : ''}${message}\n`);
    const usage =
      err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
    if (usage && !(err instanceof UsageError)) process.stderr.write(`${USAGE}\n`);
    process.exit(usage || err instanceof ConfigurationError ? 64 : 1);
  },
);
