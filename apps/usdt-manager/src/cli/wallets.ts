/**
 * Hot-wallet administration, on the data directly or through the running service's API:
 *
 *   npm run wallets -- import --label payouts-1     key from stdin (hidden prompt on a terminal) or from
 *                                                   WALLET_IMPORT_PRIVATE_KEY; never from argv (visible in ps)
 *   npm run wallets -- list [--no-balances] [--json]
 *   npm run wallets -- rotate                       re-encrypt every key under the current master key
 *
 * With `--url http://localhost:3000` (list, import) the command asks the running service over HTTP with the
 * token in USDT_MANAGER_TOKEN (or read from --token-file): nothing is opened locally. Without it the command
 * opens the database itself (and, for balances, the TRON node); on the embedded engine or devnet it first
 * takes the DATA_DIR lock, so it refuses, naming the pid, while the service runs on the same data.
 */
import { DynamicModule, LoggerService, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, CommanderError, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';

import { CommonModule, DataDirLockedError } from '@app/common';
import { AppConfigModule, ConfigurationError, validateEnvironment } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ImportWallet, ListWallets, RotateMasterKey, WalletListing, WalletsCoreModule } from '@app/wallets';

import { lockLiveData } from '../live-data';

const WALLETS_PATH = '/api/v1/tron/usdt/wallets';
const COMMANDS = new Set(['list', 'import', 'rotate', 'help']);

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

interface RemoteOptions {
  url?: string;
  tokenFile?: string;
}

/** Where and how to reach the running service, or undefined to work on the data directly. */
interface Remote {
  url: string;
  token: string;
}

function remoteOf(options: RemoteOptions): Remote | undefined {
  if (!options.url) return undefined;
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new UsageError('--url must be the service URL, e.g. http://localhost:3000');
  }
  const token = options.tokenFile
    ? readFileSync(options.tokenFile, 'utf8').trim()
    : (process.env.USDT_MANAGER_TOKEN ?? '').trim();
  if (!token) {
    throw new UsageError(
      '--url needs a token: set USDT_MANAGER_TOKEN (npm run token -- --role admin --sub you) or pass --token-file',
    );
  }
  return { url: url.origin, token };
}

function program(): Command {
  const root = new Command('npm run wallets --')
    .description('Hot wallets: list, import and re-encrypt keys.')
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text.startsWith('error:') ? `wallets: ${text}` : text),
    })
    .showHelpAfterError();
  const remoteOptions = (command: Command) =>
    command
      .option('--url <url>', 'ask the running service at this URL instead of opening the data directly')
      .option(
        '--token-file <path>',
        'file holding the bearer token for --url (default: $USDT_MANAGER_TOKEN)',
      );

  remoteOptions(
    root
      .command('list')
      .description('list hot wallets with balances (never a key)')
      .option('--no-balances', 'skip the TRON node: no balances, and no devnet started')
      .option('--json', 'print JSON instead of a table', false),
  ).action(async (options: RemoteOptions & { balances: boolean; json: boolean }) => {
    const remote = remoteOf(options);
    const listings = remote
      ? await callService<WalletListing[]>(remote, 'GET', WALLETS_PATH)
      : await withContext('wallets list', options.balances ? await tronModules() : [], (app) =>
          app.get(ListWallets).execute({ balances: options.balances }),
        );
    printListings(listings, options.json);
  });

  remoteOptions(
    root
      .command('import')
      .description('import a private key (from stdin or WALLET_IMPORT_PRIVATE_KEY, never from argv)')
      .addOption(new Option('--label <label>', 'the wallet label, e.g. payouts-1').makeOptionMandatory())
      .option('--json', 'print JSON instead of a table', false),
  ).action(async (options: RemoteOptions & { label: string; json: boolean }) => {
    const remote = remoteOf(options);
    const privateKey = await readPrivateKey();
    const listing = remote
      ? await callService<WalletListing>(remote, 'POST', WALLETS_PATH, { privateKey, label: options.label })
      : await withContext('wallets import', [], (app) =>
          app.get(ImportWallet).execute({ privateKey, label: options.label }),
        );
    printListings([listing], options.json);
  });

  root
    .command('rotate')
    .description('re-encrypt every key under the current WALLET_MASTER_KEY (on the data directly only)')
    .action(async () => {
      const result = await withContext('wallets rotate', [], (app) => app.get(RotateMasterKey).execute());
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      // Non-zero while some records still need an old master key: it must not be removed yet.
      if (result.failed.length) process.exitCode = 2;
    });
  return root;
}

async function main(argv: string[]): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  // The root takes no options, so the first word is the command. An unknown one is echoed only when it is
  // word-like: commander would print anything, and a key pasted as the command must not reach a terminal log.
  const command = argv.find((arg) => !arg.startsWith('-'));
  if (command && !COMMANDS.has(command)) {
    throw new UsageError(
      `unknown command${/^[a-z-]{1,20}$/.test(command) ? ` "${command}"` : ''}; see npm run wallets -- --help`,
    );
  }
  const root = program();
  // Validated before any command runs, also for --url (a malformed .env is worth knowing about).
  root.hook('preAction', () => {
    validateEnvironment(process.env);
  });
  await root.parseAsync(argv, { from: 'user' });
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

/** One call to the running service's API; its error body's code and message on failure. */
async function callService<T>(
  remote: Remote,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${remote.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${remote.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new Error(`cannot reach the service at ${remote.url}: ${(err as Error).message}`);
  }
  const payload = (await res.json().catch(() => undefined)) as
    { error?: { code?: string; message?: string } } | undefined;
  if (!res.ok) {
    const error = payload?.error;
    throw Object.assign(new Error(error?.message ?? `the service answered ${res.status}`), {
      code: error?.code,
    });
  }
  return payload as T;
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
  command: string,
  extra: Type[],
  run: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<T>,
): Promise<T> {
  // Before the embedded engine (and, with balances, the devnet) starts on DATA_DIR's live data.
  const lock = lockLiveData(command, { withDevnet: extra.length > 0 });
  try {
    const app = await NestFactory.createApplicationContext(WalletsCliModule.forCommand(extra), {
      logger: stderrLogger,
    });
    try {
      return await run(app);
    } finally {
      await app.close();
    }
  } finally {
    lock?.release();
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // --help ends here with code 0; usage errors were already printed by commander, with the help.
    if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 64);
    // Known errors print their message only; anything else its message, never a stack holding inputs.
    const message = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: unknown }).code;
    process.stderr.write(`wallets: ${typeof code === 'string' ? `${code} ` : ''}${message}\n`);
    if (err instanceof DataDirLockedError) {
      process.stderr.write(
        'wallets: stop that process first, or ask the running service instead: ' +
          'USDT_MANAGER_TOKEN=<token> npm run wallets -- list --url http://localhost:3000\n',
      );
    }
    process.exit(err instanceof UsageError || err instanceof ConfigurationError ? 64 : 1);
  },
);
