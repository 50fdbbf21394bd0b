import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';

import { startDevnet } from '@app/tron-devnet';
import { TronWeb, utils } from 'tronweb';

/**
 * Devnet throughput: signed TRC-20 transfers accepted per second (broadcasttransaction over HTTP with
 * keep-alive, 32 in flight) and blocks per second at 1,000 transactions a block. The devnet runs in a child
 * process so the client does not share its event loop. Prints results; asserts nothing.
 */

const TXS = Number(process.env.DEVNET_BENCH_TXS ?? 5000);
const CONCURRENCY = 32;
const PER_BLOCK = 1000;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- HTTP JSON

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(url: string, body: unknown): Promise<Json> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

async function pool<T>(items: T[], worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await worker(items[next++]);
    }),
  );
}

async function childDevnet(): Promise<{ url: string; stop: () => void }> {
  const child = fork(join(__dirname, 'devnet-bench-child.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve(typeof m === 'string' ? m : JSON.stringify(m)));
    child.once('error', reject);
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

export async function run(): Promise<void> {
  const inProcess = process.env.DEVNET_BENCH_IN_PROCESS === '1';
  const local = inProcess
    ? await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 19, accounts: 10 })
    : undefined;
  const remote = local ? undefined : await childDevnet();
  const url = local?.url ?? remote!.url;
  try {
    const info = (await (await fetch(`${url}/devnet/info`)).json()) as Json;
    const senders = (info.accounts as Json[]).slice(1);
    const usdt = info.usdt.address as string;
    const tw = new TronWeb({ fullHost: url });
    const recipients = Array.from({ length: 50 }, () => utils.accounts.generateAccount().address.base58);

    // build through the node (triggersmartcontract), sign locally with TronWeb
    let t0 = performance.now();
    const signed: Json[] = [];
    const jobs = Array.from({ length: TXS }, (_, i) => i);
    await pool(jobs, async (i) => {
      const from = senders[i % senders.length];
      const to = recipients[i % recipients.length];
      const built = await post(`${url}/wallet/triggersmartcontract`, {
        owner_address: tw.address.toHex(from.address),
        contract_address: tw.address.toHex(usdt),
        function_selector: 'transfer(address,uint256)',
        parameter: '0'.repeat(24) + tw.address.toHex(to).slice(2) + (1000 + i).toString(16).padStart(64, '0'),
        fee_limit: 100_000_000,
      });
      signed.push(utils.crypto.signTransaction(from.privateKey, built.transaction));
    });
    const buildSec = (performance.now() - t0) / 1000;

    // broadcast
    t0 = performance.now();
    let accepted = 0;
    await pool(signed, async (tx) => {
      const r = await post(`${url}/wallet/broadcasttransaction`, tx);
      if (r.result === true) accepted++;
    });
    const bcSec = (performance.now() - t0) / 1000;

    // blocks at 1,000 txs each
    const blocks = Math.max(1, Math.floor(accepted / PER_BLOCK));
    t0 = performance.now();
    for (let b = 0; b < blocks; b++) await post(`${url}/devnet/mine`, { blocks: 1 });
    const mineSec = (performance.now() - t0) / 1000;

    console.log(
      `devnet bench (${inProcess ? 'in process' : 'devnet in a child process'}, ${TXS} TRC-20 transfers)`,
    );
    console.log(`  build (triggersmartcontract) + TronWeb sign: ${(TXS / buildSec).toFixed(0)} tx/s`);
    console.log(
      `  broadcasttransaction accepted:               ${(accepted / bcSec).toFixed(0)} tx/s (${accepted}/${TXS} accepted)`,
    );
    console.log(
      `  blocks produced at ~${PER_BLOCK} tx/block:           ${(blocks / mineSec).toFixed(1)} blocks/s (${blocks} blocks, ${mineSec.toFixed(2)} s)`,
    );
  } finally {
    agent.destroy();
    if (local) await local.stop();
    remote?.stop();
  }
}

if (require.main === module) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
