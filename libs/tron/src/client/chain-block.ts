import { TronWeb } from 'tronweb';

import { AppError, ErrorCode } from '@app/common';

import { NodeBlockWithTransactionsJson } from './node-json';
import { ChainBlock, ChainBlockTransaction } from './tron.types';

/** A block as java-tron answers it with visible=true (base58 addresses) mapped to what the follower reads. */
export function toChainBlock(block: NodeBlockWithTransactionsJson): ChainBlock {
  const raw = block.block_header?.raw_data;
  if (!block.blockID || !raw) {
    throw new AppError(ErrorCode.NODE_UNAVAILABLE, 'The node answered a block without blockID or header');
  }
  return {
    // Protobuf JSON omits default values: the genesis block comes without `number` (it is 0).
    number: raw.number ?? 0,
    id: block.blockID,
    parentId: raw.parentHash ?? '',
    timestamp: raw.timestamp ?? 0,
    transactions: (block.transactions ?? []).flatMap(toChainTransaction),
  };
}

function toChainTransaction(
  tx: NonNullable<NodeBlockWithTransactionsJson['transactions']>[number],
): ChainBlockTransaction[] {
  if (!tx.txID) return [];
  const contract = tx.raw_data?.contract?.[0];
  const value = contract?.parameter?.value ?? {};
  const contractRet = tx.ret?.[0]?.contractRet;
  return [
    {
      txid: tx.txID,
      ownerAddress: base58(value.owner_address),
      contractType: contract?.type ?? '',
      ...(value.contract_address ? { contractAddress: base58(value.contract_address) } : {}),
      ...(contractRet ? { contractRet } : {}),
    },
  ];
}

/** visible=true should give base58 already; a node that ignores the flag answers hex (41…). */
function base58(address: string | undefined): string {
  if (!address) return '';
  return /^(0x)?41[0-9a-f]{40}$/i.test(address) ? TronWeb.address.fromHex(address) : address;
}
