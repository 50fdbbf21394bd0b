import type { Chain } from '@app/tron-devnet';

/**
 * Independent on-chain checks for payment tests: they ask the devnet's own TronGrid v1 and node HTTP APIs,
 * never the service, so a test can tell what really happened on the chain.
 */

export interface UsdtTransferEvent {
  txid: string;
  from: string;
  to: string;
  valueRaw: bigint;
  blockTimestamp: number;
}

interface TronGridPage<T> {
  data: T[];
  success: boolean;
  meta: { fingerprint?: string };
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Follows TronGrid's fingerprint pagination to the end. */
async function allPages<T>(base: string, query: Record<string, string>): Promise<T[]> {
  const out: T[] = [];
  let fingerprint: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const q = new URLSearchParams({ ...query, limit: '200', ...(fingerprint ? { fingerprint } : {}) });
    const page = await getJson<TronGridPage<T>>(`${base}?${q.toString()}`);
    if (!page.success) throw new Error(`GET ${base}: success=false`);
    out.push(...page.data);
    fingerprint = page.meta.fingerprint;
    if (!fingerprint) return out;
  }
  throw new Error(`GET ${base}: too many pages`);
}

/**
 * Every USDT `Transfer` event paying `to` (head chain, confirmed or not), through
 * `GET /v1/accounts/{to}/transactions/trc20?only_to=true&contract_address={usdt}`.
 */
export async function usdtTransfersTo(
  devnetUrl: string,
  usdt: string,
  to: string,
): Promise<UsdtTransferEvent[]> {
  const rows = await allPages<{
    transaction_id: string;
    from: string;
    to: string;
    type: string;
    value: string;
    block_timestamp: number;
  }>(`${devnetUrl}/v1/accounts/${to}/transactions/trc20`, {
    only_to: 'true',
    contract_address: usdt,
    order_by: 'block_timestamp,asc',
  });
  return rows
    .filter((r) => r.type === 'Transfer' && r.to === to)
    .map((r) => ({
      txid: r.transaction_id,
      from: r.from,
      to: r.to,
      valueRaw: BigInt(r.value),
      blockTimestamp: r.block_timestamp,
    }));
}

/** How many USDT Transfer events on chain pay `to`. */
export async function countUsdtTransfersTo(devnetUrl: string, usdt: string, to: string): Promise<number> {
  return (await usdtTransfersTo(devnetUrl, usdt, to)).length;
}

/**
 * Every USDT `Transfer` event of the contract (all recipients), through
 * `GET /v1/contracts/{usdt}/events?event_name=Transfer`. Addresses are returned as lower-case 41-prefixed
 * hex (TronGrid renders them `0x…`); compare with `utils.address.toHex(base58).toLowerCase()`.
 */
export async function allUsdtTransferEvents(
  devnetUrl: string,
  usdt: string,
): Promise<Array<{ txid: string; fromHex: string; toHex: string; valueRaw: bigint }>> {
  const rows = await allPages<{
    transaction_id: string;
    event_name: string;
    result: { from: string; to: string; value: string };
  }>(`${devnetUrl}/v1/contracts/${usdt}/events`, {
    event_name: 'Transfer',
    order_by: 'block_timestamp,asc',
  });
  return rows
    .filter((r) => r.event_name === 'Transfer')
    .map((r) => ({
      txid: r.transaction_id,
      fromHex: `41${r.result.from.replace(/^0x/, '').toLowerCase()}`,
      toHex: `41${r.result.to.replace(/^0x/, '').toLowerCase()}`,
      valueRaw: BigInt(r.result.value),
    }));
}

/** Whether the node knows the transaction at all (in a block; `/wallet/gettransactioninfobyid` is `{}` otherwise). */
export async function transactionInBlock(devnetUrl: string, txid: string): Promise<boolean> {
  const info = await getJson<Record<string, unknown>>(
    `${devnetUrl}/wallet/gettransactioninfobyid?value=${encodeURIComponent(txid)}`,
  );
  return Object.keys(info).length > 0;
}

/** Whether the node has the transaction (pool or chain) according to `/wallet/gettransactionbyid`. */
export async function transactionKnown(devnetUrl: string, txid: string): Promise<boolean> {
  const tx = await getJson<Record<string, unknown>>(
    `${devnetUrl}/wallet/gettransactionbyid?value=${encodeURIComponent(txid)}`,
  );
  return Object.keys(tx).length > 0;
}

/** The devnet's head block (number and timestamp, ms) via `/wallet/getnowblock`. */
export async function headBlock(
  devnetUrl: string,
  solidified = false,
): Promise<{ number: number; timestamp: number }> {
  const block = await getJson<{ block_header: { raw_data: { number: number; timestamp: number } } }>(
    `${devnetUrl}/${solidified ? 'walletsolidity' : 'wallet'}/getnowblock`,
  );
  return block.block_header.raw_data;
}

export interface BroadcastLog {
  /** txids of broadcasts the devnet refused because of an injected `error` fault */
  refusedByFault: string[];
  /** txids and answers of broadcasts that reached the chain (accepted, DUP_TRANSACTION_ERROR, ...) */
  reachedChain: Array<{ txid: string; code: string }>;
  /** every txid the devnet was asked to broadcast, in order */
  all(): string[];
  restore(): void;
}

/**
 * Records what the devnet was asked to broadcast by wrapping the in-process chain: an injected `error`
 * fault computes the txid with `buildTxId` and answers without reaching `broadcast`; everything else
 * (including `drop-response`) goes through `broadcast`. Call `restore()` when done.
 */
export function recordBroadcasts(chain: Chain): BroadcastLog {
  const originalBroadcast = chain.broadcast;
  const originalBuildTxId = chain.buildTxId;
  const order: string[] = [];
  const log: BroadcastLog = {
    refusedByFault: [],
    reachedChain: [],
    all: () => [...order],
    restore: () => {
      chain.broadcast = originalBroadcast;
      chain.buildTxId = originalBuildTxId;
    },
  };
  chain.broadcast = function (this: Chain, ...args: Parameters<Chain['broadcast']>) {
    const result = originalBroadcast.apply(this, args);
    log.reachedChain.push({ txid: result.txid, code: 'result' in result ? 'ACCEPTED' : result.code });
    order.push(result.txid);
    return result;
  };
  chain.buildTxId = function (this: Chain, rawBytes: Buffer) {
    const txid = originalBuildTxId.call(this, rawBytes);
    log.refusedByFault.push(txid);
    order.push(txid);
    return txid;
  };
  return log;
}
