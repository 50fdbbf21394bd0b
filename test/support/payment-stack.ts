import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { utils } from 'tronweb';

import { DevnetHandle, startDevnet } from '@app/tron-devnet';

import { permissivePolicies, writePolicyFile } from './policy-file';
import { startTestApp, TestApp } from './test-app';
import { startTestDatabase, TestDatabase } from './test-database';
import { bearer, tokenFor } from './tokens';

export interface PaymentStack {
  devnet: DevnetHandle;
  db: TestDatabase;
  app: TestApp;
  /** The hot wallet the service pays from (devnet account 1, imported as `default`). */
  hotWallet: string;
  operator: Record<string, string>;
  admin: Record<string, string>;
  viewer: Record<string, string>;
  close(): Promise<void>;
}

export interface PaymentStackOptions {
  blockIntervalMs?: number;
  solidityLag?: number;
  env?: Record<string, string | undefined>;
}

/**
 * Pipeline settings that keep e2e runs short: fast polling, short leases and back-offs; and policies that keep
 * governance out of the way of suites about payments (governance suites pass their own POLICY_FILE).
 */
export const FAST_PIPELINE_ENV = {
  POLICY_FILE: writePolicyFile(permissivePolicies),
  TRANSFER_POLL_INTERVAL_MS: '100',
  TRANSFER_RETRY_DELAY_MS: '200',
  TRANSFER_FUNDS_RECHECK_MS: '300',
  TRANSFER_LEASE_MS: '5000',
  TRON_REQUESTS_PER_SECOND: '2000',
  TRON_REQUEST_TIMEOUT_MS: '3000',
};

/**
 * The whole payment path for one suite: a devnet (blocks on a timer), a fresh embedded engine, and the real
 * app pointed at both as at any external node, with devnet account 1 imported as the default hot wallet.
 */
export async function startPaymentStack(options: PaymentStackOptions = {}): Promise<PaymentStack> {
  const devnetDir = mkdtempSync(join(tmpdir(), 'usdt-devnet-'));
  const devnet = await startDevnet({
    port: 0,
    blockIntervalMs: options.blockIntervalMs ?? 300,
    solidityLag: options.solidityLag ?? 3,
    dataDir: devnetDir,
    onError: () => undefined,
  });
  const db = await startTestDatabase();
  const app = await startTestApp({
    env: {
      MONGODB_URI: db.uri,
      MONGODB_DATABASE: 'payments',
      TRON_FULL_HOST: devnet.url,
      USDT_CONTRACT_ADDRESS: devnet.info.usdt.address,
      TRON_MULTICALL_ADDRESS: devnet.info.multicall.address,
      ...FAST_PIPELINE_ENV,
      ...options.env,
    },
  });
  const hot = devnet.info.accounts[1];
  const admin = bearer(tokenFor('admin', { sub: 'admin-1' }));
  await request(app.url)
    .post('/api/v1/tron/usdt/wallets')
    .set(admin)
    .send({ privateKey: hot.privateKey, label: 'default' })
    .expect(201);

  return {
    devnet,
    db,
    app,
    hotWallet: hot.address,
    operator: bearer(tokenFor('operator', { sub: 'operator-1' })),
    admin,
    viewer: bearer(tokenFor('viewer', { sub: 'viewer-1' })),
    close: async () => {
      await app.close();
      await db.stop();
      await devnet.stop();
      rmSync(devnetDir, { recursive: true, force: true });
    },
  };
}

/** A brand-new address with no history on the chain. */
export function freshAddress(): string {
  return utils.accounts.generateAccount().address.base58;
}

export async function waitForStatus(
  stack: PaymentStack,
  id: string,
  statuses: string[],
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    const res = await request(stack.app.url).get(`/api/v1/tron/usdt/transfers/${id}`).set(stack.viewer);
    last = res.body as Record<string, unknown>;
    if (statuses.includes(last.status as string)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(
    `transfer ${id} did not reach ${statuses.join('|')} in time; last: ${JSON.stringify(last)}`,
  );
}

export async function usdtBalanceOf(stack: PaymentStack, address: string): Promise<bigint> {
  const res = await request(stack.app.url)
    .get(`/api/v1/tron/usdt/balance/${address}`)
    .set(stack.viewer)
    .expect(200);
  return BigInt((res.body as { balanceRaw: string }).balanceRaw);
}

/**
 * Database commands the app made so far, by `<collection> <command>` (needs MONGODB_COMMAND_METRICS=true in
 * the stack's env).
 */
export async function dbCommands(stack: PaymentStack): Promise<Map<string, number>> {
  const text = (await request(stack.app.url).get('/metrics').expect(200)).text;
  const made = new Map<string, number>();
  for (const m of text.matchAll(/^mongodb_commands_total\{([^}]*)\} (\d+)/gm)) {
    const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const key = `${labels.collection} ${labels.command}`;
    made.set(key, (made.get(key) ?? 0) + Number(m[2]));
  }
  return made;
}

/** Node calls so far by endpoint, from the service's own metric. */
export async function nodeCalls(stack: PaymentStack): Promise<Map<string, number>> {
  const text = (await request(stack.app.url).get('/metrics').expect(200)).text;
  const calls = new Map<string, number>();
  for (const m of text.matchAll(
    /^tron_node_call_duration_seconds_count\{endpoint="([^"]+)"[^}]*\} (\d+)/gm,
  )) {
    calls.set(m[1], (calls.get(m[1]) ?? 0) + Number(m[2]));
  }
  return calls;
}
