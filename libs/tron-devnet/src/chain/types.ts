import type { RawTransaction } from '../codec/transaction';
import type { ContractLog } from '../usdt/usdt-contract';

export interface ChainParameters {
  /** sun per energy unit (getEnergyFee) */
  energyFee: bigint;
  /** sun burned per bandwidth byte when the free allowance is used up (getTransactionFee) */
  transactionFee: bigint;
  /** free bandwidth per account per day (getFreeNetLimit) */
  freeNetLimit: number;
  /** getCreateAccountFee */
  createAccountFee: bigint;
  /** getCreateNewAccountFeeInSystemContract */
  createNewAccountFeeInSystemContract: bigint;
  /** getMaxFeeLimit */
  maxFeeLimit: bigint;
}

export const DEFAULT_CHAIN_PARAMETERS: ChainParameters = {
  energyFee: 100n,
  transactionFee: 1000n,
  freeNetLimit: 600,
  createAccountFee: 100_000n,
  createNewAccountFeeInSystemContract: 1_000_000n,
  maxFeeLimit: 15_000_000_000n,
};

export interface Account {
  /** 41-hex */
  address: string;
  balance: bigint;
  createTime: number;
  latestOperationTime: number;
  freeNetUsage: number;
  latestConsumeFreeTime: number;
}

export interface BlockRecord {
  number: number;
  /** blockID: 8 bytes of the number then 24 bytes of the header hash (hex) */
  id: string;
  parentHash: string;
  timestamp: number;
  txTrieRoot: string;
  witness: string;
  witnessSignature: string;
  txIds: string[];
}

export type ContractResult = 'SUCCESS' | 'REVERT' | 'OUT_OF_ENERGY';

export interface TxInfo {
  fee: bigint;
  energyUsageTotal: number;
  energyFee: bigint;
  netUsage: number;
  netFee: bigint;
  result: ContractResult;
  /** hex output of the call (empty for TRX transfers) */
  contractResult?: string;
  resMessage?: string;
  contractAddress?: string;
  logs: ContractLog[];
}

export interface TxRecord {
  id: string;
  rawBytes: Buffer;
  raw: RawTransaction;
  signatures: Buffer[];
  blockNumber: number;
  blockTimestamp: number;
  info: TxInfo;
}

export interface PendingTx {
  id: string;
  rawBytes: Buffer;
  raw: RawTransaction;
  signatures: Buffer[];
  netBytes: number;
}

export interface EventRecord {
  txId: string;
  blockNumber: number;
  blockTimestamp: number;
  eventIndex: number;
  log: ContractLog;
}

export type BroadcastCode =
  | 'SIGERROR'
  | 'CONTRACT_VALIDATE_ERROR'
  | 'CONTRACT_EXE_ERROR'
  | 'BANDWITH_ERROR'
  | 'DUP_TRANSACTION_ERROR'
  | 'TAPOS_ERROR'
  | 'TOO_BIG_TRANSACTION_ERROR'
  | 'TRANSACTION_EXPIRATION_ERROR'
  | 'SERVER_BUSY'
  | 'OTHER_ERROR';

export type BroadcastResult =
  { result: true; txid: string } | { code: BroadcastCode; txid: string; message: string };
