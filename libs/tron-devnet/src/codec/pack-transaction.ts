import { tryToHexAddress } from './address';
import { javaHexToBytes } from './hex';
import {
  contractFromJson,
  encodePackedRaw,
  FieldReaders,
  PackedRaw,
  RawContract,
  transactionId,
  TransactionFormatError,
} from './transaction';

/** Transaction.Result as a client may send it back in `ret`, defaults left out as java-tron prints it. */
export interface TransactionRet {
  fee?: bigint;
  ret?: 'FAILED';
  contractRet?: string;
}

/** A client's transaction as java-tron holds it after reading its JSON; the txID is computed from raw_data. */
export interface PackedTransaction {
  raw: PackedRaw;
  rawBytes: Buffer;
  txId: string;
  signatures: Buffer[];
  ret: TransactionRet[];
}

/** Transaction.Result.contractResult, by number. */
const CONTRACT_RESULTS = [
  'DEFAULT',
  'SUCCESS',
  'REVERT',
  'BAD_JUMP_DESTINATION',
  'OUT_OF_MEMORY',
  'PRECOMPILED_CONTRACT',
  'STACK_TOO_SMALL',
  'STACK_TOO_LARGE',
  'ILLEGAL_OPERATION',
  'STACK_OVERFLOW',
  'OUT_OF_ENERGY',
  'OUT_OF_TIME',
  'JVM_STACK_OVER_FLOW',
  'UNKNOWN',
  'TRANSFER_FAILED',
  'INVALID_CODE',
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON null is absent: java-tron re-serialises the request with fastjson, which drops null members. */
function absent(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

function fail(what: string): never {
  throw new TransactionFormatError(`Invalid ${what}`);
}

/** int64 fields: JSON integers only (java-tron's JsonFormat refuses a quoted number). */
function int64(v: unknown, what: string): bigint {
  if (absent(v)) return 0n;
  return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : fail(what);
}

function hexBytes(v: unknown, what: string): Buffer {
  if (absent(v)) return Buffer.alloc(0);
  return (typeof v === 'string' && javaHexToBytes(v)) || fail(what);
}

/** With `visible` an address must be base58check (java-tron's decodeFromBase58Check accepts nothing else). */
function base58Address(v: unknown, what: string): string {
  if (absent(v)) return '';
  const hex = typeof v === 'string' && v.length === 34 && v[0] === 'T' ? tryToHexAddress(v) : undefined;
  return hex ?? fail(what);
}

/** Without `visible` an address is any hex, even one of the wrong length: no account will match it. */
function hexAddress(v: unknown, what: string): string {
  return hexBytes(v, what).toString('hex');
}

function readers(visible: boolean): FieldReaders {
  return { address: visible ? base58Address : hexAddress, int: int64, bytes: hexBytes };
}

/**
 * One raw_data.contract entry, or none where java-tron's packTransaction drops it: no type, a type it does not
 * know, no parameter.value, or a value that does not parse. Types java-tron knows but the devnet does not model
 * (freezing, voting, ...) are dropped too, so such a transaction reads as one without a valid contract.
 */
function readContract(c: unknown, read: FieldReaders): RawContract[] {
  if (!isRecord(c) || typeof c.type !== 'string' || !c.type) return [];
  if (!isRecord(c.parameter) || !isRecord(c.parameter.value)) return [];
  let contract: RawContract;
  try {
    contract = contractFromJson({ ...c, Permission_id: undefined }, read);
  } catch (e) {
    if (e instanceof TransactionFormatError) return [];
    throw e;
  }
  // Permission_id is read with the whole transaction, not with the contract: a bad one leaves no transaction.
  contract.permissionId = Number(read.int(c.Permission_id, 'Permission_id'));
  return [contract];
}

function signatureList(v: unknown): Buffer[] {
  if (absent(v)) return [];
  return (Array.isArray(v) ? v : [v]).map((s) => hexBytes(s, 'signature'));
}

function retEntry(v: unknown): TransactionRet {
  if (!isRecord(v)) return fail('ret');
  const out: TransactionRet = {};
  const fee = int64(v.fee, 'fee');
  if (fee) out.fee = fee;
  if (v.ret === 'FAILED' || v.ret === 1) out.ret = 'FAILED';
  else if (!absent(v.ret) && v.ret !== 'SUCESS' && v.ret !== 0) fail('ret');
  const contractRet =
    typeof v.contractRet === 'number' ? CONTRACT_RESULTS[v.contractRet] : (v.contractRet ?? 'DEFAULT');
  if (typeof contractRet !== 'string' || !CONTRACT_RESULTS.includes(contractRet)) fail('contractRet');
  if (contractRet !== 'DEFAULT') out.contractRet = contractRet;
  return out;
}

function retList(v: unknown): TransactionRet[] {
  if (absent(v)) return [];
  return (Array.isArray(v) ? v : [v]).map(retEntry);
}

/**
 * A client's transaction JSON read as java-tron's Util.packTransaction reads it for getsignweight and
 * getapprovedlist, or undefined where java-tron is left with no transaction (its servlet then answers a
 * NullPointerException): no raw_data or raw_data.contract, or a field outside the contracts that does not
 * parse. Contracts it cannot read under the `visible` flag are dropped, not fatal. txID, raw_data_hex,
 * visible and unknown members are ignored.
 */
export function packTransaction(body: unknown, visible: boolean): PackedTransaction | undefined {
  if (!isRecord(body) || !isRecord(body.raw_data) || !Array.isArray(body.raw_data.contract)) return undefined;
  const json = body.raw_data;
  const read = readers(visible);
  try {
    const raw: PackedRaw = {
      refBlockBytes: hexBytes(json.ref_block_bytes, 'ref_block_bytes'),
      refBlockHash: hexBytes(json.ref_block_hash, 'ref_block_hash'),
      expiration: Number(int64(json.expiration, 'expiration')),
      timestamp: Number(int64(json.timestamp, 'timestamp')),
      feeLimit: int64(json.fee_limit, 'fee_limit'),
      data: hexBytes(json.data, 'data'),
      contracts: (json.contract as unknown[]).flatMap((c) => readContract(c, read)),
    };
    const signatures = signatureList(body.signature);
    const ret = retList(body.ret);
    const rawBytes = encodePackedRaw(raw);
    return { raw, rawBytes, txId: transactionId(rawBytes), signatures, ret };
  } catch (e) {
    if (e instanceof TransactionFormatError) return undefined;
    throw e;
  }
}
