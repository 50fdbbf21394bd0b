import { createHash } from 'node:crypto';

import { renderAddress, toHexAddress } from './address';
import { hexToBytes } from './hex';
import { ProtoDecodeError, ProtoWriter, readFields } from './protobuf';

/** Contract type numbers from java-tron's Tron.proto (Transaction.Contract.ContractType). */
export const CONTRACT_TYPE_NUMBER = { TransferContract: 1, TriggerSmartContract: 31 } as const;
export type SupportedContractType = keyof typeof CONTRACT_TYPE_NUMBER;

export interface TriggerSmartContractValue {
  type: 'TriggerSmartContract';
  ownerAddress: string;
  contractAddress: string;
  callValue: bigint;
  data: Buffer;
  callTokenValue: bigint;
  tokenId: bigint;
}

export interface TransferContractValue {
  type: 'TransferContract';
  ownerAddress: string;
  toAddress: string;
  amount: bigint;
}

export type ContractValue = TriggerSmartContractValue | TransferContractValue;

export interface RawTransaction {
  refBlockBytes: Buffer;
  refBlockHash: Buffer;
  expiration: number;
  timestamp: number;
  feeLimit: bigint;
  /** memo (raw_data.data) */
  data: Buffer;
  contract: ContractValue;
  permissionId: number;
}

/** One entry of Transaction.raw.contract with its Permission_id. */
export interface RawContract {
  value: ContractValue;
  permissionId: number;
}

/**
 * Transaction.raw with any number of contracts, as java-tron's packTransaction reads a client's JSON for the
 * signature queries (getsignweight, getapprovedlist): contracts it cannot read are dropped, so there may be
 * none. The devnet's own transactions (RawTransaction) hold exactly one.
 */
export interface PackedRaw extends Omit<RawTransaction, 'contract' | 'permissionId'> {
  contracts: RawContract[];
}

export interface SignedTransactionBytes {
  rawBytes: Buffer;
  raw: RawTransaction;
  signatures: Buffer[];
}

/** java-tron's JSON for Transaction.raw (what `raw_data` holds in HTTP answers). */
export interface RawDataJson {
  contract: Array<{
    parameter: { value: Record<string, string | number>; type_url: string };
    type: string;
    Permission_id?: number;
  }>;
  /** omitted when empty, as protobuf JSON omits defaults: only a client's transaction can lack these three */
  ref_block_bytes?: string;
  ref_block_hash?: string;
  expiration?: number;
  fee_limit?: number;
  timestamp?: number;
  data?: string;
}

export class TransactionFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransactionFormatError';
  }
}

const TYPE_URL_PREFIX = 'type.googleapis.com/protocol.';

function addressBytes(hex41: string): Buffer {
  return Buffer.from(hex41, 'hex');
}

function encodeContractValue(value: ContractValue): Buffer {
  const w = new ProtoWriter();
  if (value.type === 'TriggerSmartContract') {
    w.bytes(1, addressBytes(value.ownerAddress))
      .bytes(2, addressBytes(value.contractAddress))
      .int(3, value.callValue)
      .bytes(4, value.data)
      .int(5, value.callTokenValue)
      .int(6, value.tokenId);
  } else {
    w.bytes(1, addressBytes(value.ownerAddress)).bytes(2, addressBytes(value.toAddress)).int(3, value.amount);
  }
  return w.finish();
}

function encodeContract(c: RawContract): Buffer {
  const any = new ProtoWriter()
    .string(1, TYPE_URL_PREFIX + c.value.type)
    .bytes(2, encodeContractValue(c.value))
    .finish();
  return new ProtoWriter()
    .int(1, CONTRACT_TYPE_NUMBER[c.value.type])
    .message(2, any)
    .int(5, c.permissionId)
    .finish();
}

/** Serialises Transaction.raw exactly as google-protobuf does (field order, defaults omitted). */
export function encodePackedRaw(raw: PackedRaw): Buffer {
  const w = new ProtoWriter()
    .bytes(1, raw.refBlockBytes)
    .bytes(4, raw.refBlockHash)
    .int(8, raw.expiration)
    .bytes(10, raw.data);
  for (const c of raw.contracts) w.message(11, encodeContract(c));
  return w.int(14, raw.timestamp).int(18, raw.feeLimit).finish();
}

/** The one-contract transaction as a PackedRaw, to share the encoder and the JSON renderer. */
function packed(raw: RawTransaction): PackedRaw {
  const { contract, permissionId, ...fields } = raw;
  return { ...fields, contracts: [{ value: contract, permissionId }] };
}

export function encodeRawTransaction(raw: RawTransaction): Buffer {
  return encodePackedRaw(packed(raw));
}

export function encodeSignedTransaction(rawBytes: Buffer, signatures: Buffer[]): Buffer {
  const w = new ProtoWriter().message(1, rawBytes);
  for (const s of signatures) w.message(2, s);
  return w.finish();
}

export function transactionId(rawBytes: Buffer): string {
  return createHash('sha256').update(rawBytes).digest('hex');
}

function addressFromBytes(bytes: Buffer, what: string): string {
  if (bytes.length !== 21 || bytes[0] !== 0x41) throw new TransactionFormatError(`Invalid ${what}`);
  return bytes.toString('hex');
}

function decodeContractValue(type: number, value: Buffer): ContractValue {
  if (type === CONTRACT_TYPE_NUMBER.TriggerSmartContract) {
    let owner: Buffer = Buffer.alloc(0);
    let contract: Buffer = Buffer.alloc(0);
    let callValue = 0n;
    let data: Buffer = Buffer.alloc(0);
    let callTokenValue = 0n;
    let tokenId = 0n;
    for (const f of readFields(value)) {
      if (f.field === 1) owner = f.bytes;
      else if (f.field === 2) contract = f.bytes;
      else if (f.field === 3) callValue = f.int;
      else if (f.field === 4) data = f.bytes;
      else if (f.field === 5) callTokenValue = f.int;
      else if (f.field === 6) tokenId = f.int;
    }
    return {
      type: 'TriggerSmartContract',
      ownerAddress: addressFromBytes(owner, 'ownerAddress'),
      contractAddress: addressFromBytes(contract, 'contractAddress'),
      callValue,
      data: Buffer.from(data),
      callTokenValue,
      tokenId,
    };
  }
  if (type === CONTRACT_TYPE_NUMBER.TransferContract) {
    let owner: Buffer = Buffer.alloc(0);
    let to: Buffer = Buffer.alloc(0);
    let amount = 0n;
    for (const f of readFields(value)) {
      if (f.field === 1) owner = f.bytes;
      else if (f.field === 2) to = f.bytes;
      else if (f.field === 3) amount = f.int;
    }
    return {
      type: 'TransferContract',
      ownerAddress: addressFromBytes(owner, 'ownerAddress'),
      toAddress: addressFromBytes(to, 'toAddress'),
      amount,
    };
  }
  throw new TransactionFormatError(`contract type ${type} is not supported by the devnet`);
}

export function decodeRawTransaction(rawBytes: Buffer): RawTransaction {
  try {
    let refBlockBytes = Buffer.alloc(0);
    let refBlockHash = Buffer.alloc(0);
    let expiration = 0;
    let timestamp = 0;
    let feeLimit = 0n;
    let data: Buffer = Buffer.alloc(0);
    const contracts: Buffer[] = [];
    for (const f of readFields(rawBytes)) {
      if (f.field === 1) refBlockBytes = Buffer.from(f.bytes);
      else if (f.field === 4) refBlockHash = Buffer.from(f.bytes);
      else if (f.field === 8) expiration = Number(f.int);
      else if (f.field === 10) data = Buffer.from(f.bytes);
      else if (f.field === 11) contracts.push(f.bytes);
      else if (f.field === 14) timestamp = Number(f.int);
      else if (f.field === 18) feeLimit = f.int;
    }
    if (contracts.length !== 1)
      throw new TransactionFormatError('a transaction must hold exactly one contract');
    let type = 0;
    let anyBytes: Buffer = Buffer.alloc(0);
    let permissionId = 0;
    for (const f of readFields(contracts[0])) {
      if (f.field === 1) type = Number(f.int);
      else if (f.field === 2) anyBytes = f.bytes;
      else if (f.field === 5) permissionId = Number(f.int);
    }
    let value: Buffer = Buffer.alloc(0);
    for (const f of readFields(anyBytes)) if (f.field === 2) value = f.bytes;
    return {
      refBlockBytes,
      refBlockHash,
      expiration,
      timestamp,
      feeLimit,
      data,
      contract: decodeContractValue(type, value),
      permissionId,
    };
  } catch (e) {
    if (e instanceof ProtoDecodeError) throw new TransactionFormatError(e.message);
    throw e;
  }
}

/** Decodes a serialised Transaction (raw_data + signatures), as sent to broadcasthex. */
export function decodeSignedTransaction(bytes: Buffer): SignedTransactionBytes {
  let rawBytes: Buffer | undefined;
  const signatures: Buffer[] = [];
  try {
    for (const f of readFields(bytes)) {
      if (f.field === 1) rawBytes = Buffer.from(f.bytes);
      else if (f.field === 2) signatures.push(Buffer.from(f.bytes));
    }
  } catch (e) {
    if (e instanceof ProtoDecodeError) throw new TransactionFormatError(e.message);
    throw e;
  }
  if (!rawBytes) throw new TransactionFormatError('transaction has no raw_data');
  return { rawBytes, raw: decodeRawTransaction(rawBytes), signatures };
}

function int(n: bigint): number {
  return Number(n);
}

/** Renders an address field; an empty one (absent from a client's JSON) is omitted, as protobuf JSON does. */
function putAddress(out: Record<string, string | number>, key: string, hex: string, visible: boolean): void {
  if (hex) out[key] = renderAddress(hex, visible);
}

export function contractValueToJson(value: ContractValue, visible: boolean): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (value.type === 'TriggerSmartContract') {
    if (value.data.length) out.data = value.data.toString('hex');
    putAddress(out, 'owner_address', value.ownerAddress, visible);
    putAddress(out, 'contract_address', value.contractAddress, visible);
    if (value.callValue) out.call_value = int(value.callValue);
    if (value.callTokenValue) out.call_token_value = int(value.callTokenValue);
    if (value.tokenId) out.token_id = int(value.tokenId);
    return out;
  }
  if (value.amount) out.amount = int(value.amount);
  putAddress(out, 'owner_address', value.ownerAddress, visible);
  putAddress(out, 'to_address', value.toAddress, visible);
  return out;
}

function contractToJson(c: RawContract, visible: boolean): RawDataJson['contract'][number] {
  const json: RawDataJson['contract'][number] = {
    parameter: { value: contractValueToJson(c.value, visible), type_url: TYPE_URL_PREFIX + c.value.type },
    type: c.value.type,
  };
  if (c.permissionId) json.Permission_id = c.permissionId;
  return json;
}

/** java-tron's JSON rendering of Transaction.raw; zero/empty fields are omitted as java-tron does. */
export function packedRawToJson(raw: PackedRaw, visible: boolean): RawDataJson {
  const json: RawDataJson = { contract: raw.contracts.map((c) => contractToJson(c, visible)) };
  if (raw.refBlockBytes.length) json.ref_block_bytes = raw.refBlockBytes.toString('hex');
  if (raw.refBlockHash.length) json.ref_block_hash = raw.refBlockHash.toString('hex');
  if (raw.expiration) json.expiration = raw.expiration;
  if (raw.data.length) json.data = raw.data.toString('hex');
  if (raw.feeLimit) json.fee_limit = int(raw.feeLimit);
  if (raw.timestamp) json.timestamp = raw.timestamp;
  return json;
}

export function rawTransactionToJson(raw: RawTransaction, visible: boolean): RawDataJson {
  return packedRawToJson(packed(raw), visible);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toBig(v: unknown, what: string): bigint {
  if (v === undefined || v === null || v === '') return 0n;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'bigint') return v;
  throw new TransactionFormatError(`Invalid ${what}`);
}

function bytesField(v: unknown, what: string): Buffer {
  if (v === undefined || v === null || v === '') return Buffer.alloc(0);
  if (typeof v !== 'string') throw new TransactionFormatError(`Invalid ${what}`);
  try {
    return hexToBytes(v);
  } catch {
    throw new TransactionFormatError(`Invalid ${what}`);
  }
}

function addressField(v: unknown, what: string): string {
  try {
    return toHexAddress(v);
  } catch {
    throw new TransactionFormatError(`Invalid ${what}`);
  }
}

/**
 * How the fields of a contract are read from JSON. Broadcasts read them leniently (base58 or hex addresses,
 * numbers or numeric strings); the signature queries read them as java-tron's JsonFormat does for the
 * request's `visible` flag (see pack-transaction.ts). Each throws TransactionFormatError for a bad value.
 */
export interface FieldReaders {
  /** the address as hex: 41-hex, except what a strict reader takes as given ('' for an absent field) */
  address(v: unknown, what: string): string;
  int(v: unknown, what: string): bigint;
  bytes(v: unknown, what: string): Buffer;
}

const LENIENT_READERS: FieldReaders = { address: addressField, int: toBig, bytes: bytesField };

/** One entry of raw_data.contract; throws TransactionFormatError for a type the devnet does not model. */
export function contractFromJson(
  c: Record<string, unknown>,
  read: FieldReaders = LENIENT_READERS,
): RawContract {
  const parameter = isRecord(c.parameter) ? c.parameter : {};
  const value = isRecord(parameter.value) ? parameter.value : {};
  let contract: ContractValue;
  if (c.type === 'TriggerSmartContract') {
    contract = {
      type: 'TriggerSmartContract',
      ownerAddress: read.address(value.owner_address, 'owner_address'),
      contractAddress: read.address(value.contract_address, 'contract_address'),
      callValue: read.int(value.call_value, 'call_value'),
      data: read.bytes(value.data, 'data'),
      callTokenValue: read.int(value.call_token_value, 'call_token_value'),
      tokenId: read.int(value.token_id, 'token_id'),
    };
  } else if (c.type === 'TransferContract') {
    contract = {
      type: 'TransferContract',
      ownerAddress: read.address(value.owner_address, 'owner_address'),
      toAddress: read.address(value.to_address, 'to_address'),
      amount: read.int(value.amount, 'amount'),
    };
  } else {
    throw new TransactionFormatError(`contract type ${String(c.type)} is not supported by the devnet`);
  }
  return { value: contract, permissionId: Number(read.int(c.Permission_id, 'Permission_id')) };
}

/** Parses java-tron's JSON raw_data (hex or base58 addresses) back into a RawTransaction. */
export function rawTransactionFromJson(json: unknown): RawTransaction {
  if (!isRecord(json)) throw new TransactionFormatError('raw_data is missing');
  const contracts = json.contract;
  if (!Array.isArray(contracts) || contracts.length !== 1 || !isRecord(contracts[0])) {
    throw new TransactionFormatError('a transaction must hold exactly one contract');
  }
  const { value: contract, permissionId } = contractFromJson(contracts[0]);
  return {
    refBlockBytes: bytesField(json.ref_block_bytes, 'ref_block_bytes'),
    refBlockHash: bytesField(json.ref_block_hash, 'ref_block_hash'),
    expiration: Number(toBig(json.expiration, 'expiration')),
    timestamp: Number(toBig(json.timestamp, 'timestamp')),
    feeLimit: toBig(json.fee_limit, 'fee_limit'),
    data: bytesField(json.data, 'data'),
    contract,
    permissionId,
  };
}
