/** Public shapes of libs/tron. Amounts are bigint base units (USDT: 6 decimals; TRX: sun); addresses base58. */

export type Trc20Method = 'transfer' | 'approve';

export interface ContractInfo {
  address: string;
  name: string;
  symbol: string;
  decimals: number;
  totalSupplyRaw: bigint;
}

export interface BlockRef {
  number: number;
  /** blockID */
  id: string;
  /** block time, ms since epoch */
  timestamp: number;
}

export interface ChainParameters {
  /** sun burned per unit of energy (getEnergyFee) */
  energyFeeSun: bigint;
  /** sun burned per byte of bandwidth beyond the free allowance (getTransactionFee) */
  transactionFeeSunPerByte: bigint;
  /** upper bound of fee_limit (getMaxFeeLimit), when the node reports it */
  maxFeeLimitSun?: bigint;
}

export interface Trc20CallRequest {
  from: string;
  method: Trc20Method;
  /** recipient of a transfer, spender of an approve */
  counterparty: string;
  amountRaw: bigint;
}

export interface EnergyEstimate {
  energy: bigint;
  /**
   * Worst-case TRX burn in sun: energy at the current energy price plus the bandwidth of a TRC-20 call,
   * i.e. what the wallet must hold when it has no staked or delegated resources.
   */
  feeSun: bigint;
  reverted: boolean;
  /** the node's revert or validation message */
  message?: string;
}

export interface BuildTrc20CallRequest extends Trc20CallRequest {
  feeLimitSun: bigint;
}

/** A transaction as java-tron serialises it (visible=false: hex addresses inside raw_data). */
export interface TronTransaction {
  txID: string;
  raw_data: {
    contract: unknown[];
    ref_block_bytes: string;
    ref_block_hash: string;
    expiration: number;
    timestamp: number;
    fee_limit?: number;
    data?: string;
  };
  raw_data_hex: string;
  visible?: boolean;
}

export interface UnsignedTransaction extends TronTransaction {
  /** raw_data.expiration (ms): after this the transaction can never be included */
  expiration: number;
  /** the TAPOS reference block */
  refBlock: { bytes: string; hash: string };
}

export interface SignedTransaction extends TronTransaction {
  signature: string[];
}

export type BroadcastOutcome =
  | {
      accepted: true;
      txid: string;
      /** the node already had it (DUP_TRANSACTION_ERROR) */ duplicate: boolean;
    }
  | {
      accepted: false;
      txid: string;
      /** java-tron's response code, e.g. SIGERROR, TAPOS_ERROR, TRANSACTION_EXPIRATION_ERROR, SERVER_BUSY */
      code: string;
      /** decoded from java-tron's hex message */
      message: string;
      /** whether re-broadcasting the same bytes (before expiration) may still succeed */
      retryable: boolean;
    };

/** java-tron's receipt results (contractResult enum); other values pass through as strings. */
export type ReceiptResult =
  | 'SUCCESS'
  | 'REVERT'
  | 'OUT_OF_ENERGY'
  | 'OUT_OF_TIME'
  | 'TRANSFER_FAILED'
  | 'FAILED'
  | (string & NonNullable<unknown>);

export interface ReceiptLog {
  /** emitting contract, base58 */
  address: string;
  topics: string[];
  data: string;
}

export interface Trc20TransferLog {
  contract: string;
  from: string;
  to: string;
  valueRaw: bigint;
}

export interface TransactionReceipt {
  txid: string;
  blockNumber: number;
  blockTimestamp: number;
  result: ReceiptResult;
  energyUsed: bigint;
  /** total TRX burned (energy + bandwidth + other fees), sun */
  feeSun: bigint;
  netFeeSun: bigint;
  energyFeeSun: bigint;
  netUsage: bigint;
  /** java-tron's resMessage, decoded (a revert reason, when there is one) */
  message?: string;
  logs: ReceiptLog[];
  /** the Transfer events among the logs, decoded; success means SUCCESS plus our contract's Transfer */
  trc20Transfers: Trc20TransferLog[];
}

export interface OnChainTransaction {
  txid: string;
  expiration: number;
  timestamp: number;
  /** ret[0].contractRet once the transaction is in a block */
  contractRet?: string;
  signatures: string[];
  rawDataHex: string;
}

export interface Trc20HistoryQuery {
  limit: number;
  fingerprint?: string;
  onlyConfirmed?: boolean;
}

export interface Trc20HistoryItem {
  txid: string;
  from: string;
  to: string;
  valueRaw: bigint;
  blockTimestamp: number;
  type: string;
}

export interface Trc20HistoryPage {
  items: Trc20HistoryItem[];
  nextFingerprint?: string;
}

export interface NodeStatus {
  reachable: boolean;
  headNumber?: number;
  /** how old the head block is: a node that answers but stopped syncing shows a growing age */
  headAgeMs?: number;
  host: string;
}

/** One transaction of a block, as much of it as the block follower needs to match it to our payouts. */
export interface ChainBlockTransaction {
  txid: string;
  /** owner_address of the first contract, base58 */
  ownerAddress: string;
  /** e.g. 'TriggerSmartContract', 'TransferContract' */
  contractType: string;
  /** TriggerSmartContract's contract_address, base58 */
  contractAddress?: string;
  /** ret[0].contractRet when present */
  contractRet?: string;
}

export interface ChainBlock {
  number: number;
  /** blockID */
  id: string;
  parentId: string;
  /** ms */
  timestamp: number;
  transactions: ChainBlockTransaction[];
}

export interface BuildTrc20CallLocallyRequest extends BuildTrc20CallRequest {
  /** the TAPOS reference block (a recent head, solidified or not) */
  refBlock: BlockRef;
  /** expiration = refBlock.timestamp + this; default 60 s, java-tron refuses more than 24 h */
  expirationMs?: number;
}
