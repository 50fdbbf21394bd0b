import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { utils } from 'tronweb';

import { DevnetAccountInfo, DevnetHandle, startDevnet } from '@app/tron-devnet';
import type * as TronLib from '@app/tron';

type Tron = typeof TronLib;

interface Booted {
  app: INestApplication;
  tron: Tron;
  client: TronLib.TronClient;
  network: TronLib.TronNetwork;
  register: Registry;
}

const TRON_ENV = [
  'TRON_FULL_HOST',
  'TRON_SOLIDITY_HOST',
  'TRON_EVENT_HOST',
  'TRON_FALLBACK_HOSTS',
  'TRONGRID_API_KEY',
  'TRON_NETWORK',
  'USDT_CONTRACT_ADDRESS',
  'TRON_MULTICALL_ADDRESS',
  'TRON_REQUESTS_PER_SECOND',
  'TRON_REQUEST_TIMEOUT_MS',
  'TRON_MAX_RETRIES',
  'DEVNET_BLOCK_MS',
  'DEVNET_SOLIDITY_LAG',
  'DEVNET_PORT',
];

/**
 * Boots TronModule (with the config and metrics modules it relies on) from the environment, in a fresh module
 * registry so that each boot reads its own configuration, as a separate process would.
 */
async function bootTron(dataDir: string, env: Record<string, string>): Promise<Booted> {
  for (const key of TRON_ENV) delete process.env[key];
  Object.assign(process.env, { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...env });
  let booted: Booted | undefined;
  await jest.isolateModulesAsync(async () => {
    const { Test } = await import('@nestjs/testing');
    const { AppConfigModule } = await import('@app/config');
    const { MetricsModule } = await import('@app/metrics');
    const tron = await import('@app/tron');
    const promClient = await import('prom-client');
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule, MetricsModule, tron.TronModule],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    booted = {
      app,
      tron,
      client: app.get(tron.TronClient),
      network: app.get(tron.TronNetwork),
      register: promClient.register,
    };
  });
  return booted!;
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function eventually<T>(read: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Node calls answered so far by this boot, per endpoint label (from the duration histogram's counts). */
async function nodeCallsByEndpoint(booted: Booted): Promise<Record<string, number>> {
  const text = await booted.register.getSingleMetricAsString('tron_node_call_duration_seconds');
  const calls: Record<string, number> = {};
  for (const m of text.matchAll(
    /^tron_node_call_duration_seconds_count\{endpoint="([^"]+)"[^}]*\} (\d+)/gm,
  )) {
    calls[m[1]] = (calls[m[1]] ?? 0) + Number(m[2]);
  }
  return calls;
}

const FEE_LIMIT_SUN = 100_000_000n;

describe('TronClient against a devnet (external host path)', () => {
  let dir: string;
  let devnet: DevnetHandle;
  let usdt: string;
  let owner: DevnetAccountInfo;
  let alice: DevnetAccountInfo;
  let bob: DevnetAccountInfo;
  let main: Booted;
  let client: TronLib.TronClient;

  const signedTransfer = async (
    from: DevnetAccountInfo,
    to: string,
    amountRaw: bigint,
    key = from.privateKey,
  ) => {
    const unsigned = await client.buildTrc20Call({
      from: from.address,
      method: 'transfer',
      counterparty: to,
      amountRaw,
      feeLimitSun: FEE_LIMIT_SUN,
    });
    return utils.crypto.signTransaction(key, { ...unsigned }) as TronLib.SignedTransaction;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tron-client-'));
    devnet = await startDevnet({
      port: 0,
      blockIntervalMs: 200,
      solidityLag: 2,
      dataDir: join(dir, 'devnet'),
    });
    usdt = devnet.info.usdt.address;
    [owner, alice, bob] = devnet.info.accounts;
    main = await bootTron(join(dir, 'main'), {
      TRON_FULL_HOST: devnet.url,
      USDT_CONTRACT_ADDRESS: usdt,
      TRON_REQUEST_TIMEOUT_MS: '2000',
      TRON_MAX_RETRIES: '2',
      TRON_REQUESTS_PER_SECOND: '200',
    });
    client = main.client;
  });

  afterAll(async () => {
    await main?.app.close();
    await devnet?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    devnet.setFaults({});
  });

  it('reports the configured network, not a devnet it started', () => {
    expect(main.network.isDevnet).toBe(false);
    expect(main.network.devnet).toBeUndefined();
    expect(client.network()).toMatchObject({
      name: 'private',
      fullHost: devnet.url,
      usdtContract: usdt,
      isDevnet: false,
    });
  });

  it('reads the contract info once and caches it', async () => {
    const info = await client.contractInfo();
    expect(info).toEqual({
      address: usdt,
      name: 'Tether USD',
      symbol: 'USDT',
      decimals: 6,
      totalSupplyRaw: expect.any(BigInt),
    });
    expect(info.totalSupplyRaw).toBeGreaterThan(0n);
    expect(await client.contractInfo()).toBe(info);
  });

  it('reads USDT and TRX balances, allowance, pause and blacklist state', async () => {
    expect(await client.usdtBalance(alice.address)).toBe(BigInt(alice.usdtRaw));
    expect(await client.trxBalance(alice.address)).toBe(BigInt(alice.trxSun));
    const stranger = utils.accounts.generateAccount().address.base58;
    expect(await client.usdtBalance(stranger)).toBe(0n);
    expect(await client.trxBalance(stranger)).toBe(0n);
    expect(await client.allowance(alice.address, bob.address)).toBe(0n);
    expect(await client.isPaused()).toBe(false);
    expect(await client.isBlacklisted(bob.address)).toBe(false);
    await devnet.setBlacklisted(bob.address, true);
    expect(await client.isBlacklisted(bob.address)).toBe(true);
    await devnet.setBlacklisted(bob.address, false);
  });

  /** A second client on the devnet, with its Multicall configured. */
  const bootWithMulticall = (name: string) =>
    bootTron(join(dir, name), {
      TRON_FULL_HOST: devnet.url,
      USDT_CONTRACT_ADDRESS: usdt,
      TRON_MULTICALL_ADDRESS: devnet.info.multicall.address,
    });

  it('asks the blacklist about many addresses through the Multicall, a hundred per node call', async () => {
    const booted = await bootWithMulticall('multicall');
    try {
      const addresses = Array.from({ length: 250 }, () => utils.accounts.generateAccount().address.base58);
      await devnet.setBlacklisted(addresses[7], true);
      await devnet.setBlacklisted(addresses[201], true);
      const answers = await booted.client.blacklistedAmong(addresses);
      expect(answers.flatMap((blacklisted, i) => (blacklisted ? [i] : []))).toEqual([7, 201]);
      expect(answers).toHaveLength(250);
      const calls = await nodeCallsByEndpoint(booted);
      expect(calls['triggerconstantcontract:aggregate:isBlackListed']).toBe(3);
      expect(calls['triggerconstantcontract:isBlackListed']).toBeUndefined();
    } finally {
      await booted.app.close();
    }
  });

  it('reads both balances of an account in one Multicall, with the block they are from', async () => {
    const booted = await bootWithMulticall('multicall-balances');
    try {
      const before = (await client.head()).number;
      const read = await booted.client.balancesAt(alice.address);
      const after = (await client.head()).number;
      expect(read).toEqual({
        usdtRaw: await client.usdtBalance(alice.address),
        trxSun: await client.trxBalance(alice.address),
        block: expect.any(Number),
      });
      expect(read.block).toBeGreaterThanOrEqual(before);
      expect(read.block).toBeLessThanOrEqual(after);
      const calls = await nodeCallsByEndpoint(booted);
      expect(calls['triggerconstantcontract:aggregate:balances']).toBe(1);
      expect(calls['triggerconstantcontract:balanceOf']).toBeUndefined();
      expect(calls.getaccount).toBeUndefined();
      // Without a Multicall: the same balances, two calls, and no block to vouch for them.
      expect(await client.balancesAt(alice.address)).toEqual({ usdtRaw: read.usdtRaw, trxSun: read.trxSun });
    } finally {
      await booted.app.close();
    }
  });

  it('names TRON_MULTICALL_ADDRESS when it is not a Multicall (USDT_ERR_303)', async () => {
    const booted = await bootTron(join(dir, 'no-multicall'), {
      TRON_FULL_HOST: devnet.url,
      USDT_CONTRACT_ADDRESS: usdt,
      TRON_MULTICALL_ADDRESS: alice.address,
    });
    try {
      const refused = booted.client.blacklistedAmong([bob.address]);
      await expect(refused).rejects.toMatchObject({ code: 'USDT_ERR_303' });
      await expect(refused).rejects.toThrow(/TRON_MULTICALL_ADDRESS/);
    } finally {
      await booted.app.close();
    }
  });

  it('refuses a malformed address before calling the node', async () => {
    await expect(client.usdtBalance('0xnot-tron')).rejects.toMatchObject({ code: 'USDT_ERR_101' });
  });

  it('sees the solidified head lagging the head', async () => {
    await devnet.mine(3);
    const solid = await client.solidifiedHead();
    const head = await client.head();
    expect(head.number).toBeGreaterThanOrEqual(solid.number + 2);
    expect(head.id).toMatch(/^[0-9a-f]{64}$/);
    expect(head.timestamp).toBeGreaterThan(0);
  });

  it('reads the fee parameters and estimates energy, flagging a call that would revert', async () => {
    const params = await client.chainParameters();
    expect(params.energyFeeSun).toBeGreaterThan(0n);
    const ok = await client.estimateEnergy({
      from: alice.address,
      method: 'transfer',
      counterparty: bob.address,
      amountRaw: 1_000_000n,
    });
    expect(ok.reverted).toBe(false);
    expect(ok.energy).toBeGreaterThan(10_000n);
    expect(ok.feeSun).toBeGreaterThanOrEqual(ok.energy * params.energyFeeSun);

    const tooMuch = await client.estimateEnergy({
      from: alice.address,
      method: 'transfer',
      counterparty: bob.address,
      amountRaw: BigInt(alice.usdtRaw) * 10n,
    });
    expect(tooMuch.reverted).toBe(true);
  });

  it('builds, broadcasts, re-broadcasts and follows a transfer to solidification', async () => {
    const bobBefore = await client.usdtBalance(bob.address);
    const signed = await signedTransfer(alice, bob.address, 1_500_000n);

    expect(await client.broadcast(signed)).toEqual({ accepted: true, txid: signed.txID, duplicate: false });
    expect(await client.broadcast(signed)).toEqual({ accepted: true, txid: signed.txID, duplicate: true });

    const receipt = await eventually(() => client.getTransactionInfo(signed.txID));
    expect(receipt).toMatchObject({ txid: signed.txID, result: 'SUCCESS' });
    expect(receipt.energyUsed).toBeGreaterThan(0n);
    expect(receipt.feeSun).toBe(receipt.energyFeeSun + receipt.netFeeSun);
    expect(receipt.trc20Transfers).toEqual([
      { contract: usdt, from: alice.address, to: bob.address, valueRaw: 1_500_000n },
    ]);
    expect(main.tron.receiptErrorCode(receipt.result)).toBeUndefined();

    const solid = await eventually(() => client.getSolidifiedTransactionInfo(signed.txID));
    expect(solid.blockNumber).toBe(receipt.blockNumber);
    expect(await client.getTransaction(signed.txID)).toMatchObject({
      txid: signed.txID,
      contractRet: 'SUCCESS',
    });
    expect(await client.usdtBalance(bob.address)).toBe(bobBefore + 1_500_000n);

    const history = await client.trc20History(bob.address, { limit: 50 });
    expect(history.items).toContainEqual(
      expect.objectContaining({
        txid: signed.txID,
        from: alice.address,
        to: bob.address,
        valueRaw: 1_500_000n,
      }),
    );
  });

  it('grants an allowance through approve', async () => {
    const unsigned = await client.buildTrc20Call({
      from: owner.address,
      method: 'approve',
      counterparty: bob.address,
      amountRaw: 5_000_000n,
      feeLimitSun: FEE_LIMIT_SUN,
    });
    expect(unsigned.expiration).toBeGreaterThan(Date.now());
    expect(unsigned.refBlock.bytes).toMatch(/^[0-9a-f]{4}$/);
    const signed = utils.crypto.signTransaction(owner.privateKey, {
      ...unsigned,
    }) as TronLib.SignedTransaction;
    expect((await client.broadcast(signed)).accepted).toBe(true);
    await eventually(() => client.getTransactionInfo(signed.txID));
    expect(await client.allowance(owner.address, bob.address)).toBe(5_000_000n);
  });

  it('answers null for a transaction the node does not know', async () => {
    const unknown = 'ab'.repeat(32);
    expect(await client.getTransaction(unknown)).toBeNull();
    expect(await client.getTransactionInfo(unknown)).toBeNull();
    expect(await client.getSolidifiedTransactionInfo(unknown)).toBeNull();
  });

  it('reports a rejected broadcast with the node code and a decoded message', async () => {
    const wrongKey = await signedTransfer(alice, bob.address, 1n, bob.privateKey);
    const outcome = await client.broadcast(wrongKey);
    expect(outcome).toMatchObject({ accepted: false, code: 'SIGERROR', retryable: false });
    if (outcome.accepted) throw new Error('unreachable');
    expect(outcome.message).not.toMatch(/^[0-9a-f]+$/);
    expect(main.tron.broadcastRejectedError(outcome)).toMatchObject({
      code: 'USDT_ERR_401',
      details: [expect.objectContaining({ nodeCode: 'SIGERROR' })],
    });
  });

  it('reports a busy node as a retryable rejection', async () => {
    const signed = await signedTransfer(alice, bob.address, 1n);
    devnet.setFaults({ broadcast: { mode: 'error', count: 1 } });
    expect(await client.broadcast(signed)).toMatchObject({
      accepted: false,
      code: 'SERVER_BUSY',
      retryable: true,
    });
    expect(await client.broadcast(signed)).toEqual({ accepted: true, txid: signed.txID, duplicate: false });
  });

  it('treats a broadcast whose answer was lost as accepted once the retry finds it in the pool', async () => {
    const signed = await signedTransfer(alice, bob.address, 2n);
    devnet.setFaults({ broadcast: { mode: 'drop-response', count: 1 } });
    expect(await client.broadcast(signed)).toEqual({ accepted: true, txid: signed.txID, duplicate: true });
    await eventually(() => client.getTransactionInfo(signed.txID));
  });

  it('ends in USDT_ERR_400 when the node is down, and counts the failures', async () => {
    devnet.setFaults({ down: true });
    await expect(client.head()).rejects.toMatchObject({ code: 'USDT_ERR_400' });
    expect(await client.nodeStatus()).toMatchObject({ reachable: false });
    devnet.setFaults({});
    const status = await client.nodeStatus();
    expect(status).toMatchObject({ reachable: true, headNumber: expect.any(Number) });
    expect(status.headAgeMs).toBeLessThan(10_000);
    const metrics = await main.register.getSingleMetricAsString('tron_node_call_errors_total');
    expect(metrics).toMatch(
      /tron_node_call_errors_total\{endpoint="getnowblock",reason="connection"\} [1-9]/,
    );
  });
});

describe('TronClient host selection', () => {
  let dir: string;
  let devnet: DevnetHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tron-hosts-'));
    devnet = await startDevnet({
      port: 0,
      blockIntervalMs: 200,
      solidityLag: 2,
      dataDir: join(dir, 'devnet'),
    });
  });

  afterAll(async () => {
    devnet.setFaults({});
    await devnet.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails over to the fallback hosts in order', async () => {
    const [dead1, dead2] = [await deadPort(), await deadPort()];
    const booted = await bootTron(join(dir, 'failover'), {
      TRON_FULL_HOST: `http://127.0.0.1:${dead1}`,
      TRON_FALLBACK_HOSTS: `http://127.0.0.1:${dead2},${devnet.url}`,
      USDT_CONTRACT_ADDRESS: devnet.info.usdt.address,
      TRON_MAX_RETRIES: '3',
    });
    try {
      const head = await booted.client.head();
      expect(head.number).toBeGreaterThanOrEqual(0);
      expect(booted.client.network().activeHost).toBe(devnet.url);
      expect((await booted.client.contractInfo()).symbol).toBe('USDT');
    } finally {
      await booted.app.close();
    }
  });

  it('gives up with USDT_ERR_400 when every host times out', async () => {
    const booted = await bootTron(join(dir, 'timeout'), {
      TRON_FULL_HOST: devnet.url,
      USDT_CONTRACT_ADDRESS: devnet.info.usdt.address,
      TRON_REQUEST_TIMEOUT_MS: '300',
      TRON_MAX_RETRIES: '1',
    });
    try {
      devnet.setFaults({ delayMs: 1_000 });
      await expect(booted.client.head()).rejects.toMatchObject({
        code: 'USDT_ERR_400',
        details: [expect.objectContaining({ message: 'timeout' })],
      });
    } finally {
      devnet.setFaults({});
      await booted.app.close();
    }
  });

  it('refuses an address that is not a contract with USDT_ERR_303', async () => {
    const booted = await bootTron(join(dir, 'no-contract'), {
      TRON_FULL_HOST: devnet.url,
      USDT_CONTRACT_ADDRESS: devnet.info.accounts[1].address,
    });
    try {
      await expect(booted.client.contractInfo()).rejects.toMatchObject({ code: 'USDT_ERR_303' });
    } finally {
      await booted.app.close();
    }
  });

  it('asks the node whether an address is a contract account, and keeps the answer', async () => {
    // Configured with another USDT address, so the devnet's token is just some contract to this client.
    const booted = await bootTron(join(dir, 'is-contract'), {
      TRON_FULL_HOST: devnet.url,
      USDT_CONTRACT_ADDRESS: devnet.info.accounts[1].address,
    });
    try {
      const contract = devnet.info.usdt.address;
      const person = devnet.info.accounts[2].address;
      expect(await booted.client.isContract(contract)).toBe(true);
      expect(await booted.client.isContract(person)).toBe(false);
      expect(await booted.client.isContract(utils.accounts.generateAccount().address.base58)).toBe(false);
      devnet.setFaults({ down: true });
      expect(await booted.client.isContract(contract)).toBe(true); // from the cache, no node call
      await expect(
        booted.client.isContract(utils.accounts.generateAccount().address.base58),
      ).rejects.toMatchObject({ code: 'USDT_ERR_400' });
    } finally {
      devnet.setFaults({});
      await booted.app.close();
    }
  });

  it('fails start-up when a non-devnet network has no USDT contract', async () => {
    await expect(bootTron(join(dir, 'no-usdt'), { TRON_FULL_HOST: devnet.url })).rejects.toThrow(
      /USDT_CONTRACT_ADDRESS must be set/,
    );
  });

  it('starts the devnet in process when no host is configured, and stops it on shutdown', async () => {
    const booted = await bootTron(join(dir, 'embedded'), {
      DEVNET_BLOCK_MS: '200',
      DEVNET_SOLIDITY_LAG: '2',
    });
    const url = booted.network.fullHost;
    expect(booted.network.isDevnet).toBe(true);
    expect(booted.client.network()).toMatchObject({ name: 'devnet', isDevnet: true });
    expect(booted.network.usdtContract).toBe(booted.network.devnet!.info.usdt.address);
    expect((await booted.client.contractInfo()).decimals).toBe(6);
    await booted.app.close();
    await expect(fetch(`${url}/devnet/info`)).rejects.toThrow();
  });
});
