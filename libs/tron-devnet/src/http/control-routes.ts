import { hexToBase58, tryToHexAddress } from '../codec/address';
import { Chain } from '../chain/chain';
import { FaultInjector } from '../faults';
import { Json } from './format';
import { HttpError, RouteResult, Router } from './router';

export interface ControlHooks {
  info: () => unknown;
  mine: (blocks: number) => number[];
  afterChange: () => void;
}

function amount(v: unknown, what: string): bigint {
  if (v === undefined || v === null || v === '') return 0n;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  throw new HttpError(400, `${what} must be a non-negative integer (string)`);
}

function address(v: unknown): string {
  const a = tryToHexAddress(v);
  if (!a) throw new HttpError(400, 'address must be a TRON address (base58 or hex)');
  return a;
}

function obj(body: unknown): Json {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : {};
}

/** Test-control endpoints under /devnet/ (never part of a real node's API). */
export function registerControlRoutes(
  router: Router,
  chain: Chain,
  faults: FaultInjector,
  hooks: ControlHooks,
): void {
  const ok = (body: unknown): RouteResult => ({ body });

  router.add(['GET'], '/devnet/info', () => ok(hooks.info()));

  router.add(['POST'], '/devnet/mine', (c) => {
    const raw = obj(c.body).blocks ?? 1;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 10_000)
      throw new HttpError(400, 'blocks must be an integer 1..10000');
    const numbers = hooks.mine(n);
    return ok({ blocks: numbers, head: chain.head.number, solidHead: chain.solidHeadNumber });
  });

  router.add(['POST'], '/devnet/fund', (c) => {
    const b = obj(c.body);
    const a = address(b.address);
    chain.fund(a, amount(b.trxSun, 'trxSun'), amount(b.usdtRaw, 'usdtRaw'));
    hooks.afterChange();
    return ok({
      address: hexToBase58(a),
      trxSun: (chain.getAccount(a)?.balance ?? 0n).toString(),
      usdtRaw: chain.usdt.balanceOf(a).toString(),
    });
  });

  router.add(['POST'], '/devnet/blacklist', (c) => {
    const b = obj(c.body);
    const a = address(b.address);
    if (typeof b.blacklisted !== 'boolean') throw new HttpError(400, 'blacklisted must be a boolean');
    if (b.blacklisted) chain.usdt.blacklist.add(a);
    else chain.usdt.blacklist.delete(a);
    hooks.afterChange();
    return ok({ address: hexToBase58(a), blacklisted: chain.usdt.blacklist.has(a) });
  });

  router.add(['POST'], '/devnet/contracts', (c) => {
    const name = obj(c.body).name ?? 'DevnetContract';
    if (typeof name !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(name))
      throw new HttpError(400, 'name must be 1-64 of [A-Za-z0-9_]');
    const address = chain.deployContract(name);
    hooks.afterChange();
    return ok({ address: hexToBase58(address), name });
  });

  router.add(['POST'], '/devnet/pause', (c) => {
    const b = obj(c.body);
    if (typeof b.paused !== 'boolean') throw new HttpError(400, 'paused must be a boolean');
    chain.usdt.paused = b.paused;
    hooks.afterChange();
    return ok({ paused: chain.usdt.paused });
  });

  router.add(['GET'], '/devnet/faults', () => ok(faults.current()));
  router.add(['POST'], '/devnet/faults', (c) => {
    try {
      return ok(faults.set(obj(c.body)));
    } catch (e) {
      throw new HttpError(400, e instanceof Error ? e.message : 'invalid faults');
    }
  });
}
