/**
 * The java-tron and TronGrid JSON this lib reads, as far as it reads it. Everything is optional: a node may
 * omit a field (java-tron drops zero values), so the mappers default explicitly.
 */

export interface NodeBlockJson {
  blockID?: string;
  block_header?: { raw_data?: { number?: number; timestamp?: number } };
}

export interface NodeReturnJson {
  result?: boolean;
  code?: string;
  message?: string;
}

export interface ConstantCallJson {
  result?: NodeReturnJson;
  energy_used?: number;
  constant_result?: string[];
  transaction?: { ret?: Array<{ ret?: string }> };
}

export interface BroadcastJson {
  result?: boolean;
  code?: string;
  txid?: string;
  message?: string;
  Error?: string;
}

export interface TransactionInfoJson {
  id?: string;
  fee?: number;
  blockNumber?: number;
  blockTimeStamp?: number;
  contractResult?: string[];
  receipt?: {
    energy_usage?: number;
    energy_fee?: number;
    origin_energy_usage?: number;
    energy_usage_total?: number;
    net_usage?: number;
    net_fee?: number;
    result?: string;
  };
  log?: Array<{ address?: string; topics?: string[]; data?: string }>;
  result?: string;
  resMessage?: string;
}

export interface TransactionJson {
  txID?: string;
  raw_data?: { expiration?: number; timestamp?: number };
  raw_data_hex?: string;
  signature?: string[];
  ret?: Array<{ contractRet?: string }>;
}

export interface ChainParametersJson {
  chainParameter?: Array<{ key?: string; value?: number }>;
}

/** `wallet/getcontract`: the SmartContract of a contract account, `{}` for any other address. */
export interface SmartContractJson {
  contract_address?: string;
  bytecode?: string;
  name?: string;
}

export interface AccountJson {
  address?: string;
  /** a string when the node honours int64_as_string */
  balance?: number | string;
}

export interface TronGridTrc20Json {
  success?: boolean;
  data?: Array<{
    transaction_id?: string;
    token_info?: { address?: string };
    block_timestamp?: number;
    from?: string;
    to?: string;
    type?: string;
    value?: string;
  }>;
  meta?: { fingerprint?: string };
}

/** A block with its transactions (getblockbynum, getblockbylimitnext items), visible=true. */
export interface NodeBlockWithTransactionsJson {
  blockID?: string;
  block_header?: { raw_data?: { number?: number; timestamp?: number; parentHash?: string } };
  transactions?: Array<{
    txID?: string;
    ret?: Array<{ contractRet?: string }>;
    raw_data?: {
      contract?: Array<{
        type?: string;
        parameter?: { value?: { owner_address?: string; contract_address?: string } };
      }>;
    };
  }>;
}

export interface BlockListJson {
  block?: NodeBlockWithTransactionsJson[];
}
