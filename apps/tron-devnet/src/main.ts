import { Command, CommanderError, InvalidArgumentError } from 'commander';

import { startDevnet } from '@app/tron-devnet';

/**
 * Standalone devnet: npm run devnet -- --port 9090 --block-ms 3000 --solidity-lag 19 --accounts 5 --data-dir ./data/devnet
 * Prints one ready line with its URL; saves state and exits on SIGTERM/SIGINT.
 */

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

interface DevnetOptions {
  port: number;
  host: string;
  blockMs: number;
  solidityLag: number;
  accounts: number;
  seed?: string;
  dataDir?: string;
}

function program(): Command {
  return new Command('npm run devnet --')
    .description(
      'A local TRON node (java-tron HTTP API, TronGrid v1 subset, TRC-20 USDT) for development and tests.',
    )
    .option('--port <port>', 'port to listen on (0: any free port)', nonNegativeInt, 9090)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--block-ms <ms>',
      'one block every this many milliseconds (0: only on POST /devnet/mine)',
      nonNegativeInt,
      3000,
    )
    .option('--solidity-lag <blocks>', 'blocks between the head and the solidified head', nonNegativeInt, 19)
    .option('--accounts <n>', 'funded genesis accounts; account 0 owns the USDT contract', nonNegativeInt, 5)
    .option('--seed <seed>', 'derives the genesis keys (same seed, same accounts)')
    .option('--data-dir <dir>', 'keep the chain here across restarts (default: in memory, discarded)')
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text.startsWith('error:') ? `tron-devnet: ${text}` : text),
    });
}

async function main(): Promise<void> {
  const args = program().parse(process.argv.slice(2), { from: 'user' }).opts<DevnetOptions>();
  const devnet = await startDevnet({
    port: args.port,
    host: args.host,
    blockIntervalMs: args.blockMs,
    solidityLag: args.solidityLag,
    accounts: args.accounts,
    seed: args.seed,
    dataDir: args.dataDir,
  });
  const info = devnet.info;
  console.log(
    `tron-devnet ready at ${devnet.url} (head ${info.head}, USDT ${info.usdt.address}, ${info.accounts.length} accounts; GET ${devnet.url}/devnet/info for keys)`,
  );
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    devnet
      .stop()
      .then(() => {
        console.log(`tron-devnet stopped (${signal}), state ${args.dataDir ? 'saved' : 'discarded'}`);
        process.exit(0);
      })
      .catch((e: unknown) => {
        console.error('tron-devnet: failed to stop cleanly', e);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  // --help ends here with code 0; usage errors were already printed by commander.
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 64);
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
