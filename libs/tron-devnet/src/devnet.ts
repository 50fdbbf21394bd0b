import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

import { hexToBase58, toHexAddress } from './codec/address';
import { Chain } from './chain/chain';
import { ChainParameters } from './chain/types';
import { DevnetFaults, FaultInjector, FaultsInput } from './faults';
import { registerControlRoutes } from './http/control-routes';
import { flag, HttpError, Params, readBody, RequestContext, RouteResult, Router, send } from './http/router';
import { registerTronGridRoutes } from './http/trongrid-routes';
import { registerWalletRoutes } from './http/wallet-routes';
import { readState, restore, SnapshotWriter } from './persistence';

export interface DevnetOptions {
  /** TCP port; 0 picks a free one (default 9090) */
  port?: number;
  /** interface to bind (default 127.0.0.1) */
  host?: string;
  /** block production interval in ms; 0 disables the timer (blocks only via mine) — default 3000 */
  blockIntervalMs?: number;
  /** how many blocks the solidified head lags the head (default 19) */
  solidityLag?: number;
  /** number of funded genesis accounts; account 0 owns the USDT contract (default 5) */
  accounts?: number;
  /** seed for the deterministic devnet keys (default "tron-devnet") */
  seed?: string;
  /** TRX (sun) given to each genesis account (default 10,000 TRX) */
  initialTrxSun?: bigint | string | number;
  /** USDT (base units, 6 decimals) given to each genesis account (default 1,000,000 USDT) */
  initialUsdtRaw?: bigint | string | number;
  /** persist the chain here (snapshot JSON); without it the chain lives in memory only */
  dataDir?: string;
  /** minimum time between snapshot writes after blocks (default 1000 ms) */
  persistIntervalMs?: number;
  /** chain parameter overrides (energy price, bandwidth price, free bandwidth, ...) */
  parameters?: Partial<ChainParameters>;
  /** where to report background errors (default console.error) */
  onError?: (error: unknown) => void;
}

export interface DevnetAccountInfo {
  address: string;
  privateKey: string;
  trxSun: string;
  usdtRaw: string;
}

export interface DevnetInfo {
  network: 'devnet';
  fullHost: string;
  blockIntervalMs: number;
  solidityLag: number;
  head: number;
  solidHead: number;
  usdt: { address: string; name: string; symbol: string; decimals: number; owner: string };
  /** the Multicall contract (`aggregate`, `getBlockNumber`, `getEthBalance`), constant calls only */
  multicall: { address: string };
  accounts: DevnetAccountInfo[];
}

export interface FundAmounts {
  trxSun?: bigint | string | number;
  usdtRaw?: bigint | string | number;
}

export interface DevnetHandle {
  /** base URL, e.g. http://127.0.0.1:9090 (fullHost, solidityNode and eventServer for TronWeb) */
  readonly url: string;
  /** the same document as GET /devnet/info, computed when read */
  readonly info: DevnetInfo;
  /** produces `blocks` blocks now; resolves with their numbers */
  mine(blocks?: number): Promise<number[]>;
  /** credits TRX (creating the account) and/or USDT; a state edit, not a transaction */
  fund(address: string, amounts: FundAmounts): Promise<{ address: string; trxSun: string; usdtRaw: string }>;
  setBlacklisted(address: string, blacklisted: boolean): Promise<void>;
  setPaused(paused: boolean): Promise<void>;
  /** a code-only contract (getcontract knows it; calls to it are not executed); resolves with its base58 address */
  deployContract(name?: string): Promise<string>;
  /** injects node failures; `{}` or `{ clear: true }` clears */
  setFaults(faults: FaultsInput): DevnetFaults;
  /** writes the snapshot now (no-op without dataDir) */
  save(): Promise<void>;
  /** stops the timer and the server, then saves */
  stop(): Promise<void>;
  /** the underlying chain, for advanced tests */
  readonly chain: Chain;
}

export const DEFAULT_PORT = 9090;
export const DEFAULT_BLOCK_INTERVAL_MS = 3000;
export const DEFAULT_SOLIDITY_LAG = 19;
export const DEFAULT_ACCOUNTS = 5;

function toBig(v: bigint | string | number | undefined, fallback: bigint): bigint {
  if (v === undefined) return fallback;
  const b = BigInt(v);
  if (b < 0n) throw new RangeError('amounts must be >= 0');
  return b;
}

function queryParams(q: URLSearchParams): Params {
  const out: Params = {};
  for (const [k, v] of q) out[k] = v;
  return out;
}

/** Starts a devnet node. Resolves once it listens. */
export async function startDevnet(options: DevnetOptions = {}): Promise<DevnetHandle> {
  const blockIntervalMs = options.blockIntervalMs ?? DEFAULT_BLOCK_INTERVAL_MS;
  const onError = options.onError ?? ((e: unknown) => console.error('[tron-devnet]', e));
  const dataDir = options.dataDir;
  const stored = dataDir ? await readState(dataDir) : undefined;
  const chain = new Chain({
    accounts: stored?.accountCount ?? options.accounts ?? DEFAULT_ACCOUNTS,
    seed: stored?.seed ?? options.seed ?? 'tron-devnet',
    solidityLag: options.solidityLag ?? DEFAULT_SOLIDITY_LAG,
    initialTrxSun: toBig(options.initialTrxSun, 10_000_000_000n),
    initialUsdtRaw: toBig(options.initialUsdtRaw, 1_000_000_000_000n),
    parameters: options.parameters,
  });
  if (stored) restore(chain, stored);
  else chain.genesis();

  const faults = new FaultInjector();
  const writer = dataDir ? new SnapshotWriter(dataDir, chain, onError, stored) : undefined;
  const persistIntervalMs = options.persistIntervalMs ?? 1000;
  let persistTimer: NodeJS.Timeout | undefined;
  const schedulePersist = (): void => {
    if (!writer || persistTimer) return;
    persistTimer = setTimeout(() => {
      persistTimer = undefined;
      void writer.request();
    }, persistIntervalMs);
    persistTimer.unref();
  };
  chain.on('block', schedulePersist);

  let url = '';
  const mine = (n: number): number[] => Array.from({ length: n }, () => chain.produceBlock().number);
  const info = (): DevnetInfo => ({
    network: 'devnet',
    fullHost: url,
    blockIntervalMs,
    solidityLag: chain.solidityLag,
    head: chain.head.number,
    solidHead: chain.solidHeadNumber,
    usdt: {
      address: hexToBase58(chain.usdt.address),
      name: chain.usdt.name,
      symbol: chain.usdt.symbol,
      decimals: chain.usdt.decimals,
      owner: hexToBase58(chain.usdt.owner),
    },
    multicall: { address: hexToBase58(chain.multicall.address) },
    accounts: chain.keys.map((k) => ({
      address: hexToBase58(k.address),
      privateKey: k.privateKey,
      trxSun: (chain.getAccount(k.address)?.balance ?? 0n).toString(),
      usdtRaw: chain.usdt.balanceOf(k.address).toString(),
    })),
  });

  const router = new Router();
  let port = 0;
  registerWalletRoutes(router, chain, faults, () => port);
  registerTronGridRoutes(router, chain);
  registerControlRoutes(router, chain, faults, { info, mine, afterChange: schedulePersist });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const u = new URL(req.url ?? '/', 'http://devnet');
    const path = u.pathname.replace(/\/+$/, '') || '/';
    const control = path.startsWith('/devnet/');
    if (!control && faults.down) {
      req.socket.destroy();
      return;
    }
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
      });
      res.end();
      return;
    }
    const text = method === 'POST' ? await readBody(req) : '';
    let body: unknown = {};
    let result: RouteResult;
    const query = queryParams(u.searchParams);
    try {
      if (text.trim()) {
        try {
          body = JSON.parse(text);
        } catch {
          throw new HttpError(400, 'request body is not valid JSON');
        }
      }
      const m = router.match(method, path);
      if (!m) {
        result = { status: 404, body: { Error: `no such endpoint: ${method} ${path}` } };
      } else {
        const params: Params = {
          ...query,
          ...(body && typeof body === 'object' && !Array.isArray(body) ? (body as Params) : {}),
        };
        const ctx: RequestContext = {
          method,
          path,
          params,
          body,
          pathParams: m.pathParams,
          query: u.searchParams,
        };
        result = await m.handler(ctx);
      }
    } catch (e) {
      if (e instanceof HttpError) result = { status: e.status, body: { Error: e.message } };
      else {
        onError(e);
        result = { status: 500, body: { Error: e instanceof Error ? e.message : 'internal error' } };
      }
    }
    if (!control && faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
    if (result.dropResponse) {
      req.socket.destroy();
      return;
    }
    const int64AsString = flag(query.int64_as_string) || flag((body as Params | undefined)?.int64_as_string);
    send(res, result.status ?? 200, result.body, int64AsString);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      onError(e);
      if (!res.headersSent) send(res, 500, { Error: 'internal error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  port = addr.port;
  const host =
    options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let blockTimer: NodeJS.Timeout | undefined;
  if (blockIntervalMs > 0) {
    blockTimer = setInterval(() => {
      try {
        chain.produceBlock();
      } catch (e) {
        onError(e);
      }
    }, blockIntervalMs);
    blockTimer.unref();
  }
  if (writer && !stored) await writer.flush();

  let stopped: Promise<void> | undefined;
  return {
    get url() {
      return url;
    },
    get info() {
      return info();
    },
    get chain() {
      return chain;
    },
    mine: (blocks = 1) => Promise.resolve(mine(blocks)).finally(schedulePersist),
    fund: (address, amounts) => {
      const a = toHexAddress(address);
      chain.fund(a, toBig(amounts.trxSun, 0n), toBig(amounts.usdtRaw, 0n));
      schedulePersist();
      return Promise.resolve({
        address: hexToBase58(a),
        trxSun: (chain.getAccount(a)?.balance ?? 0n).toString(),
        usdtRaw: chain.usdt.balanceOf(a).toString(),
      });
    },
    setBlacklisted: (address, blacklisted) => {
      const a = toHexAddress(address);
      if (blacklisted) chain.usdt.blacklist.add(a);
      else chain.usdt.blacklist.delete(a);
      schedulePersist();
      return Promise.resolve();
    },
    setPaused: (paused) => {
      chain.usdt.paused = paused;
      schedulePersist();
      return Promise.resolve();
    },
    deployContract: (name = 'DevnetContract') => {
      const address = chain.deployContract(name);
      schedulePersist();
      return Promise.resolve(hexToBase58(address));
    },
    setFaults: (f) => faults.set(f),
    save: async () => {
      if (writer) await writer.flush();
    },
    stop: () => {
      stopped ??= (async () => {
        if (blockTimer) clearInterval(blockTimer);
        if (persistTimer) clearTimeout(persistTimer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (writer) await writer.flush();
      })();
      return stopped;
    },
  };
}
