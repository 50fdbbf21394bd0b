import { hexToBase58, tryToHexAddress } from '../codec/address';
import { Chain } from '../chain/chain';
import { EventRecord } from '../chain/types';
import { accountJson, eventJson, Json } from './format';
import { flag, Params, RequestContext, RouteResult, Router } from './router';

/** TronGrid v1 subset: accounts, TRC-20 history, contract and transaction events. */

function page(c: RequestContext): { limit: number; after?: number; asc: boolean } {
  const p = c.params;
  const raw = Number(p.limit ?? 20);
  const limit = Number.isFinite(raw) ? Math.min(Math.max(Math.trunc(raw), 1), 200) : 20;
  const orderBy =
    typeof p.order_by === 'string'
      ? p.order_by
      : typeof p.orderBy === 'string'
        ? p.orderBy
        : 'block_timestamp,desc';
  let after: number | undefined;
  const fp = p.fingerprint;
  if (typeof fp === 'string' && fp) {
    const n = Number(Buffer.from(fp, 'base64url').toString('utf8'));
    if (Number.isInteger(n)) after = n;
  }
  return { limit, after, asc: orderBy.endsWith(',asc') };
}

function fail(status: number, error: string): RouteResult {
  return { status, body: { success: false, error, statusCode: status } };
}

function num(p: Params, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = p[k];
    if (v !== undefined && v !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return undefined;
}

/** Pages a list of event indexes (ascending) into TronGrid's { data, success, meta } with a fingerprint. */
function paginate(
  c: RequestContext,
  indexes: number[],
  keep: (e: EventRecord) => boolean,
  render: (e: EventRecord) => Json,
  events: EventRecord[],
): RouteResult {
  const { limit, after, asc } = page(c);
  const out: Json[] = [];
  let last: number | undefined;
  let more = false;
  const n = indexes.length;
  for (let k = 0; k < n; k++) {
    const idx = asc ? indexes[k] : indexes[n - 1 - k];
    if (after !== undefined && (asc ? idx <= after : idx >= after)) continue;
    const e = events[idx];
    if (!keep(e)) continue;
    if (out.length === limit) {
      more = true;
      break;
    }
    out.push(render(e));
    last = idx;
  }
  const meta: Json = { at: Date.now(), page_size: out.length };
  if (more && last !== undefined) {
    const fingerprint = Buffer.from(String(last), 'utf8').toString('base64url');
    meta.fingerprint = fingerprint;
    const q = new URLSearchParams(c.query);
    q.set('fingerprint', fingerprint);
    meta.links = { next: `${c.path}?${q.toString()}` };
  }
  return { body: { data: out, success: true, meta } };
}

export function registerTronGridRoutes(router: Router, chain: Chain): void {
  const confirmedFilter = (p: Params): ((e: EventRecord) => boolean) => {
    const onlyConfirmed = flag(p.only_confirmed ?? p.onlyConfirmed);
    const onlyUnconfirmed = flag(p.only_unconfirmed ?? p.onlyUnconfirmed);
    return (e) => {
      const solid = e.blockNumber <= chain.solidHeadNumber;
      return onlyConfirmed ? solid : onlyUnconfirmed ? !solid : true;
    };
  };

  router.add(['GET'], '/v1/accounts/:address', (c) => {
    const addr = tryToHexAddress(c.pathParams.address);
    if (!addr) return fail(400, `${c.pathParams.address} is not a valid address`);
    const onlyConfirmed = flag(c.params.only_confirmed ?? c.params.onlyConfirmed);
    const acc = onlyConfirmed ? chain.getSolidAccount(addr) : chain.getAccount(addr);
    const data: Json[] = [];
    if (acc) {
      const json = accountJson(chain, acc, false);
      const usdt = chain.usdt.balanceOf(addr);
      json.trc20 = usdt > 0n ? [{ [hexToBase58(chain.usdt.address)]: usdt.toString() }] : [];
      json.balance = acc.balance;
      data.push(json);
    }
    return { body: { data, success: true, meta: { at: Date.now(), page_size: data.length } } };
  });

  router.add(['GET'], '/v1/accounts/:address/transactions/trc20', (c) => {
    const addr = tryToHexAddress(c.pathParams.address);
    if (!addr) return fail(400, `${c.pathParams.address} is not a valid address`);
    const p = c.params;
    const contractFilter = p.contract_address ? tryToHexAddress(p.contract_address) : undefined;
    if (p.contract_address && !contractFilter) return fail(400, 'invalid contract_address');
    const onlyTo = flag(p.only_to ?? p.onlyTo);
    const onlyFrom = flag(p.only_from ?? p.onlyFrom);
    const minTs = num(p, 'min_timestamp', 'minTimestamp');
    const maxTs = num(p, 'max_timestamp', 'maxTimestamp');
    const confirmed = confirmedFilter(p);
    const token = {
      symbol: chain.usdt.symbol,
      address: hexToBase58(chain.usdt.address),
      decimals: chain.usdt.decimals,
      name: chain.usdt.name,
    };
    return paginate(
      c,
      chain.trc20Index.get(addr) ?? [],
      (e) => {
        if (!confirmed(e)) return false;
        if (contractFilter && e.log.address !== contractFilter) return false;
        if (minTs !== undefined && e.blockTimestamp < minTs) return false;
        if (maxTs !== undefined && e.blockTimestamp > maxTs) return false;
        const [from, to] = e.log.event.args;
        if (onlyTo && to.value !== addr) return false;
        if (onlyFrom && from.value !== addr) return false;
        return true;
      },
      (e) => {
        const [from, to, value] = e.log.event.args;
        const out: Json = {
          transaction_id: e.txId,
          token_info: token,
          block_timestamp: e.blockTimestamp,
          from: hexToBase58(from.value as string),
          to: hexToBase58(to.value as string),
          type: e.log.event.name,
          value: (value.value as bigint).toString(),
        };
        return out;
      },
      chain.events,
    );
  });

  const eventsRoute = (
    c: RequestContext,
    indexes: number[],
    extra: (e: EventRecord) => boolean,
  ): RouteResult => {
    const p = c.params;
    const confirmed = confirmedFilter(p);
    const name =
      typeof p.event_name === 'string'
        ? p.event_name
        : typeof p.eventName === 'string'
          ? p.eventName
          : undefined;
    const blockNumber = num(p, 'block_number', 'blockNumber');
    const minTs = num(p, 'min_block_timestamp', 'minBlockTimestamp', 'min_timestamp');
    const maxTs = num(p, 'max_block_timestamp', 'maxBlockTimestamp', 'max_timestamp');
    return paginate(
      c,
      indexes,
      (e) =>
        extra(e) &&
        confirmed(e) &&
        (name === undefined || e.log.event.name === name) &&
        (blockNumber === undefined || e.blockNumber === blockNumber) &&
        (minTs === undefined || e.blockTimestamp >= minTs) &&
        (maxTs === undefined || e.blockTimestamp <= maxTs),
      (e) => eventJson(chain, e),
      chain.events,
    );
  };
  const allIndexes = (): number[] => Array.from({ length: chain.events.length }, (_, i) => i);

  router.add(['GET'], '/v1/contracts/:address/events', (c) => {
    const addr = tryToHexAddress(c.pathParams.address);
    if (!addr) return fail(400, `${c.pathParams.address} is not a valid address`);
    return eventsRoute(c, addr === chain.usdt.address ? allIndexes() : [], () => true);
  });

  router.add(['GET'], '/v1/transactions/:txid/events', (c) => {
    const id = c.pathParams.txid.toLowerCase();
    const rec = chain.txs.get(id);
    if (!rec) return { body: { data: [], success: true, meta: { at: Date.now(), page_size: 0 } } };
    const indexes: number[] = [];
    for (let i = chain.events.length - 1; i >= 0 && chain.events[i].blockNumber >= rec.blockNumber; i--) {
      if (chain.events[i].txId === id) indexes.unshift(i);
    }
    return eventsRoute(c, indexes, () => true);
  });

  router.add(['GET'], '/v1/blocks/:num/events', (c) => {
    const n = c.pathParams.num === 'latest' ? chain.head.number : Number(c.pathParams.num);
    return eventsRoute(c, allIndexes(), (e) => e.blockNumber === n);
  });

  router.add(['GET'], '/healthcheck', () => ({ body: {} }));
}
