import { startDevnet } from '@app/tron-devnet';

/**
 * Standalone devnet: npm run devnet -- --port 9090 --block-ms 3000 --solidity-lag 19 --accounts 5 --data-dir ./data/devnet
 * Prints one ready line with its URL; saves state and exits on SIGTERM/SIGINT.
 */

const USAGE =
  'usage: npm run devnet -- [--port 9090] [--host 127.0.0.1] [--block-ms 3000] [--solidity-lag 19] [--accounts 5] [--seed tron-devnet] [--data-dir DIR]';

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}\n${USAGE}`);
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`missing value for ${a}\n${USAGE}`);
      out[a.slice(2)] = v;
      i++;
    }
  }
  return out;
}

function intArg(args: Record<string, string>, name: string, fallback: number): number {
  const v = args[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const known = new Set(['port', 'host', 'block-ms', 'solidity-lag', 'accounts', 'seed', 'data-dir']);
  for (const k of Object.keys(args)) if (!known.has(k)) throw new Error(`unknown option --${k}\n${USAGE}`);
  const devnet = await startDevnet({
    port: intArg(args, 'port', 9090),
    host: args.host ?? '127.0.0.1',
    blockIntervalMs: intArg(args, 'block-ms', 3000),
    solidityLag: intArg(args, 'solidity-lag', 19),
    accounts: intArg(args, 'accounts', 5),
    seed: args.seed,
    dataDir: args['data-dir'],
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
        console.log(`tron-devnet stopped (${signal}), state ${args['data-dir'] ? 'saved' : 'discarded'}`);
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
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
