import { TronGridTrc20Json } from './node-json';
import { Trc20HistoryPage } from './tron.types';

/**
 * TronGrid's /v1/accounts/:address/transactions/trc20 page, kept to one contract (the endpoint lists every
 * TRC-20 token the address touched; the query asks for ours, the filter makes sure). Values are integer
 * strings of base units; an entry whose value is not one is dropped rather than guessed at.
 */
export function toHistoryPage(body: TronGridTrc20Json, contract: string): Trc20HistoryPage {
  const items = (body.data ?? []).flatMap((d) => {
    if (d.token_info?.address !== contract) return [];
    if (!d.transaction_id || !d.from || !d.to || !/^\d+$/.test(d.value ?? '')) return [];
    return [
      {
        txid: d.transaction_id,
        from: d.from,
        to: d.to,
        valueRaw: BigInt(d.value!),
        blockTimestamp: d.block_timestamp ?? 0,
        type: d.type ?? 'Transfer',
      },
    ];
  });
  const nextFingerprint = body.meta?.fingerprint;
  return nextFingerprint ? { items, nextFingerprint } : { items };
}
