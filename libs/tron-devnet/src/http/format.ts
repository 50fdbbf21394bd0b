import { createHash } from 'node:crypto';

import { hexToBase58, renderAddress } from '../codec/address';
import { utf8ToHex } from '../codec/hex';
import { PackedTransaction, TransactionRet } from '../codec/pack-transaction';
import { packedRawToJson, RawDataJson, RawTransaction, rawTransactionToJson } from '../codec/transaction';
import { Chain } from '../chain/chain';
import {
  activePermission,
  ApprovedList,
  ownerPermission,
  Permission,
  SignWeight,
} from '../chain/permissions';
import { Account, BlockRecord, EventRecord, TxRecord } from '../chain/types';
import { MULTICALL_ABI } from '../multicall/multicall-abi';
import { eventDescriptor, TETHER_ABI } from '../usdt/tether-abi';

/** JSON renderers producing java-tron / TronGrid field names and nesting. Zero values are omitted. */

export type Json = Record<string, unknown>;

/**
 * java-tron's printTransactionToJSON: a transaction as gettransactionbyid, blocks and the signature queries
 * show it, without `visible` (only answers that build a transaction add that).
 */
function printedTransaction(parts: {
  id: string;
  rawData: RawDataJson;
  rawBytes: Buffer;
  signatures?: Buffer[];
  ret?: Json[];
  visible?: boolean;
}): Json {
  const out: Json = {};
  if (parts.ret?.length) out.ret = parts.ret;
  if (parts.signatures?.length) out.signature = parts.signatures.map((s) => s.toString('hex'));
  if (parts.visible !== undefined) out.visible = parts.visible;
  out.txID = parts.id;
  out.raw_data = parts.rawData;
  out.raw_data_hex = parts.rawBytes.toString('hex');
  return out;
}

/** A transaction the node builds (createtransaction, triggersmartcontract, ...): it carries `visible`. */
export function transactionJson(
  tx: { id: string; raw: RawTransaction; rawBytes: Buffer; signatures?: Buffer[] },
  visible: boolean,
  contractRet?: string,
): Json {
  return printedTransaction({
    ...tx,
    rawData: rawTransactionToJson(tx.raw, visible),
    ret: contractRet ? [{ contractRet }] : undefined,
    visible,
  });
}

/** An included transaction (gettransactionbyid, block transactions), with its contract result. */
export function recordJson(rec: TxRecord, visible: boolean): Json {
  const contractRet = rec.raw.contract.type === 'TransferContract' ? 'SUCCESS' : rec.info.result;
  return printedTransaction({
    ...rec,
    rawData: rawTransactionToJson(rec.raw, visible),
    ret: [{ contractRet }],
  });
}

function retJson(r: TransactionRet): Json {
  const out: Json = {};
  if (r.fee) out.fee = r.fee;
  if (r.ret) out.ret = r.ret;
  if (r.contractRet) out.contractRet = r.contractRet;
  return out;
}

/** The TransactionExtention the signature queries wrap the client's transaction in. */
function queriedTransactionJson(tx: PackedTransaction, visible: boolean): Json {
  return {
    result: { result: true },
    txid: tx.txId,
    transaction: printedTransaction({
      id: tx.txId,
      rawData: packedRawToJson(tx.raw, visible),
      rawBytes: tx.rawBytes,
      signatures: tx.signatures,
      ret: tx.ret.map(retJson),
    }),
  };
}

/** A query's `result`: the code left out when it is the enum's default (0), as is an empty message. */
function queryResultJson(code: string, defaultCode: string, message?: string): Json {
  const out: Json = {};
  if (code !== defaultCode) out.code = code;
  if (message) out.message = message;
  return out;
}

export function permissionJson(p: Permission, visible: boolean): Json {
  const out: Json = {};
  if (p.type !== 'Owner') out.type = p.type;
  if (p.id) out.id = p.id;
  out.permission_name = p.name;
  if (p.threshold) out.threshold = p.threshold;
  if (p.operations) out.operations = p.operations;
  out.keys = p.keys.map((k) => ({ address: renderAddress(k.address, visible), weight: k.weight }));
  return out;
}

/** java-tron's TransactionSignWeight; ENOUGH_PERMISSION (the enum's 0) prints as a `result` of `{}`. */
export function signWeightJson(w: SignWeight, tx: PackedTransaction, visible: boolean): Json {
  const out: Json = {};
  if (w.permission) out.permission = permissionJson(w.permission, visible);
  if (w.approved.length) out.approved_list = w.approved.map((a) => renderAddress(a, visible));
  if (w.weight) out.current_weight = w.weight;
  out.result = queryResultJson(w.code, 'ENOUGH_PERMISSION', w.message);
  out.transaction = queriedTransactionJson(tx, visible);
  return out;
}

/** java-tron's TransactionApprovedList; SUCCESS (the enum's 0) prints as a `result` of `{}`. */
export function approvedListJson(list: ApprovedList, tx: PackedTransaction, visible: boolean): Json {
  const out: Json = {};
  if (list.approved.length) out.approved_list = list.approved.map((a) => renderAddress(a, visible));
  out.result = queryResultJson(list.code, 'SUCCESS', list.message);
  out.transaction = queriedTransactionJson(tx, visible);
  return out;
}

export function blockJson(chain: Chain, block: BlockRecord, visible: boolean, detail = true): Json {
  const raw: Json = {};
  if (block.number) raw.number = block.number;
  raw.txTrieRoot = block.txTrieRoot;
  raw.witness_address = renderAddress(block.witness, visible);
  raw.parentHash = block.parentHash;
  raw.version = 30;
  raw.timestamp = block.timestamp;
  const out: Json = {
    blockID: block.id,
    block_header: { raw_data: raw, witness_signature: block.witnessSignature },
  };
  if (detail && block.txIds.length) {
    out.transactions = block.txIds.map((id) => {
      const rec = chain.txs.get(id);
      return rec ? recordJson(rec, visible) : { txID: id };
    });
  }
  return out;
}

export function infoJson(rec: TxRecord, visible: boolean): Json {
  const i = rec.info;
  const out: Json = { id: rec.id };
  if (i.fee) out.fee = i.fee;
  out.blockNumber = rec.blockNumber;
  out.blockTimeStamp = rec.blockTimestamp;
  out.contractResult = [i.contractResult ?? ''];
  if (i.contractAddress) out.contract_address = renderAddress(i.contractAddress, visible);
  const receipt: Json = {};
  if (i.energyFee) receipt.energy_fee = i.energyFee;
  if (i.energyUsageTotal) receipt.energy_usage_total = i.energyUsageTotal;
  if (i.netUsage) receipt.net_usage = i.netUsage;
  if (i.netFee) receipt.net_fee = i.netFee;
  if (rec.raw.contract.type === 'TriggerSmartContract') receipt.result = i.result;
  out.receipt = receipt;
  if (i.logs.length) {
    out.log = i.logs.map((l) => {
      const log: Json = { address: l.address.slice(2), topics: l.topics };
      if (l.data) log.data = l.data;
      return log;
    });
  }
  if (i.result !== 'SUCCESS') {
    out.result = 'FAILED';
    if (i.resMessage) out.resMessage = utf8ToHex(i.resMessage);
  }
  return out;
}

export function accountJson(chain: Chain, a: Account, visible: boolean): Json {
  const address = renderAddress(a.address, visible);
  const out: Json = { address };
  if (a.balance) out.balance = a.balance;
  out.create_time = a.createTime;
  if (a.latestOperationTime) out.latest_opration_time = a.latestOperationTime;
  const used = chain.freeNetUsed(a);
  if (used) out.free_net_usage = used;
  if (a.latestConsumeFreeTime) out.latest_consume_free_time = a.latestConsumeFreeTime;
  out.net_window_size = 28800;
  out.net_window_optimized = true;
  out.account_resource = { energy_window_size: 28800, energy_window_optimized: true };
  out.owner_permission = permissionJson(ownerPermission(a.address), visible);
  out.active_permission = [permissionJson(activePermission(a.address), visible)];
  out.frozenV2 = [{}, { type: 'ENERGY' }, { type: 'TRON_POWER' }];
  return out;
}

export function accountResourceJson(chain: Chain, a: Account | undefined): Json {
  const out: Json = {};
  const used = a ? chain.freeNetUsed(a) : 0;
  if (used) out.freeNetUsed = used;
  out.freeNetLimit = chain.params.freeNetLimit;
  out.TotalNetLimit = 43_200_000_000;
  out.TotalNetWeight = 26_000_000_000;
  out.TotalEnergyLimit = 180_000_000_000;
  out.TotalEnergyWeight = 19_000_000_000;
  return out;
}

/**
 * `getcontract` for a contract deployed through the control API: java-tron's SmartContract shape with an
 * empty ABI (the devnet does not execute it).
 */
export function otherContractJson(
  address: string,
  contract: { name: string; owner: string },
  visible: boolean,
): Json {
  return {
    bytecode: '6080604052348015600f57600080fd5b50',
    consume_user_resource_percent: 100,
    name: contract.name,
    origin_address: renderAddress(contract.owner, visible),
    abi: {},
    origin_energy_limit: 10_000_000,
    contract_address: renderAddress(address, visible),
    code_hash: createHash('sha256').update(address).digest('hex'),
  };
}

export function contractJson(chain: Chain, visible: boolean): Json {
  return {
    bytecode: '608060405234801561001057600080fd5b50',
    consume_user_resource_percent: 100,
    name: 'TetherToken',
    origin_address: renderAddress(chain.usdt.owner, visible),
    abi: { entrys: TETHER_ABI },
    origin_energy_limit: 10_000_000,
    contract_address: renderAddress(chain.usdt.address, visible),
    code_hash: 'b8a6b0b8d2e0f0f3c4a5e6d7c8b9a0f1e2d3c4b5a697887766554433221100ff',
  };
}

/** `getcontract` for the multicall: java-tron's SmartContract shape with the Multicall ABI. */
export function multicallContractJson(chain: Chain, visible: boolean): Json {
  return {
    bytecode: '608060405234801561001057600080fd5b50',
    consume_user_resource_percent: 100,
    name: chain.multicall.name,
    origin_address: renderAddress(chain.multicall.owner, visible),
    abi: { entrys: MULTICALL_ABI },
    origin_energy_limit: 10_000_000,
    contract_address: renderAddress(chain.multicall.address, visible),
    code_hash: createHash('sha256').update(`multicall/${chain.multicall.address}`).digest('hex'),
  };
}

const EVENT_ENTRIES = new Map(TETHER_ABI.filter((e) => e.type === 'Event').map((e) => [e.name, e]));

/** TronGrid v1 event shape. */
export function eventJson(chain: Chain, e: EventRecord): Json {
  const entry = EVENT_ENTRIES.get(e.log.event.name);
  const result: Json = {};
  const resultType: Json = {};
  e.log.event.args.forEach((a, i) => {
    const v = a.type === 'address' ? '0x' + (a.value as string).slice(2) : (a.value as bigint).toString();
    result[String(i)] = v;
    result[a.name] = v;
    resultType[a.name] = a.type;
  });
  const out: Json = {
    block_number: e.blockNumber,
    block_timestamp: e.blockTimestamp,
    caller_contract_address: hexToBase58(e.log.address),
    contract_address: hexToBase58(e.log.address),
    event_index: e.eventIndex,
    event_name: e.log.event.name,
    result,
    result_type: resultType,
    event: entry ? eventDescriptor(entry) : e.log.event.name,
    transaction_id: e.txId,
  };
  if (e.blockNumber > chain.solidHeadNumber) out._unconfirmed = true;
  return out;
}

export function messageHex(text: string): string {
  return utf8ToHex(text);
}
