import { hexToBase58 } from '../codec/address';
import { PackedTransaction } from '../codec/pack-transaction';
import { recoverSigner } from '../codec/signature';
import { CONTRACT_TYPE_NUMBER, SupportedContractType } from '../codec/transaction';

/**
 * Account permissions and the two queries over them (getsignweight, getapprovedlist). Devnet accounts keep
 * java-tron's defaults, which no transaction here can change: the owner permission (id 0) and the active one
 * (id 2), each with threshold 1 and the account's own key of weight 1.
 */

/** The default active permission's operations: one bit per contract type it may sign (32 bytes). */
export const ACTIVE_DEFAULT_OPERATIONS = '7fff1fc0033efb0f' + '0'.repeat(48);

export interface PermissionKey {
  /** 41-hex */
  address: string;
  weight: number;
}

export interface Permission {
  type: 'Owner' | 'Witness' | 'Active';
  id: number;
  name: string;
  threshold: number;
  /** hex, active permissions only */
  operations?: string;
  keys: PermissionKey[];
}

export type SignWeightCode =
  | 'ENOUGH_PERMISSION'
  | 'NOT_ENOUGH_PERMISSION'
  | 'SIGNATURE_FORMAT_ERROR'
  | 'COMPUTE_ADDRESS_ERROR'
  | 'PERMISSION_ERROR'
  | 'OTHER_ERROR';

export interface SignWeight {
  /** absent when the query stopped before finding the permission */
  permission?: Permission;
  /** 41-hex signers, in signature order; empty unless every signature counted */
  approved: string[];
  weight: number;
  code: SignWeightCode;
  message?: string;
}

export type ApprovedListCode = 'SUCCESS' | 'SIGNATURE_FORMAT_ERROR' | 'COMPUTE_ADDRESS_ERROR' | 'OTHER_ERROR';

export interface ApprovedList {
  approved: string[];
  code: ApprovedListCode;
  message?: string;
}

export function ownerPermission(address: string): Permission {
  return { type: 'Owner', id: 0, name: 'owner', threshold: 1, keys: [{ address, weight: 1 }] };
}

export function activePermission(address: string): Permission {
  const keys = [{ address, weight: 1 }];
  return { type: 'Active', id: 2, name: 'active', threshold: 1, operations: ACTIVE_DEFAULT_OPERATIONS, keys };
}

/** `address`'s permission `id` (java-tron's AccountCapsule.getPermissionById over the defaults). */
export function accountPermission(address: string, id: number): Permission | undefined {
  if (id === 0) return ownerPermission(address);
  if (id === 2) return activePermission(address);
  // 1 is the witness permission, which only witnesses have; ids above 2 were never created.
  return undefined;
}

function allows(permission: Permission, type: SupportedContractType): boolean {
  const ops = Buffer.from(permission.operations ?? '', 'hex');
  const n = CONTRACT_TYPE_NUMBER[type];
  return ops.length === 32 && (ops[n >> 3] & (1 << (n & 7))) !== 0;
}

/** A reason java-tron's signature checks stop with, as the code the queries answer it with. */
class SignatureProblem extends Error {
  constructor(
    readonly code: 'SIGNATURE_FORMAT_ERROR' | 'COMPUTE_ADDRESS_ERROR' | 'PERMISSION_ERROR',
    message: string,
  ) {
    super(message);
  }
}

/** The signer of one signature: a short one is a format error, one that gives no key a compute error. */
function signerOf(txId: string, signature: Buffer): string {
  if (signature.length < 65) {
    throw new SignatureProblem('SIGNATURE_FORMAT_ERROR', `Signature size is ${signature.length}`);
  }
  const recovered = recoverSigner(txId, signature);
  if (!recovered.ok) throw new SignatureProblem('COMPUTE_ADDRESS_ERROR', recovered.message);
  return recovered.address;
}

/** java-tron's TransactionCapsule.checkWeight: each signature must come from a different key of the permission. */
function checkWeight(
  permission: Permission,
  signatures: Buffer[],
  txId: string,
): { approved: string[]; weight: number } {
  if (signatures.length > permission.keys.length) {
    throw new SignatureProblem(
      'PERMISSION_ERROR',
      `Signature count is ${signatures.length} more than key counts of permission : ${permission.keys.length}`,
    );
  }
  const approved: string[] = [];
  let weight = 0;
  for (const signature of signatures) {
    const signer = signerOf(txId, signature);
    const key = permission.keys.find((k) => k.address === signer);
    if (!key?.weight) {
      throw new SignatureProblem(
        'PERMISSION_ERROR',
        `${signature.toString('hex')} is signed by ${hexToBase58(signer)} but it is not contained of permission.`,
      );
    }
    if (approved.includes(signer)) {
      throw new SignatureProblem('PERMISSION_ERROR', `${hexToBase58(signer)} has signed twice!`);
    }
    approved.push(signer);
    weight += key.weight;
  }
  return { approved, weight };
}

const NO_CONTRACT = 'Invalid transaction: no valid contract';

/**
 * getsignweight, as java-tron's TransactionUtil.getTransactionSignWeight: the permission the first contract
 * names, the weight its signatures carry and whether that reaches the threshold. A signature by a key outside
 * the permission is not counted: the answer is PERMISSION_ERROR, with no weight.
 */
export function signWeight(tx: PackedTransaction, hasAccount: (address: string) => boolean): SignWeight {
  const first = tx.raw.contracts[0];
  if (!first) return { approved: [], weight: 0, code: 'OTHER_ERROR', message: NO_CONTRACT };
  const refuse = (message: string): SignWeight => ({
    approved: [],
    weight: 0,
    code: 'PERMISSION_ERROR',
    message,
  });
  const owner = first.value.ownerAddress;
  if (!hasAccount(owner)) return refuse('Account does not exist!');
  const permission = accountPermission(owner, first.permissionId);
  if (!permission) return refuse('Permission for this, does not exist!');
  if (first.permissionId !== 0) {
    if (permission.type !== 'Active') return refuse('Permission type is wrong!');
    if (!allows(permission, first.value.type)) return refuse('Permission denied!');
  }
  let counted = { approved: [] as string[], weight: 0 };
  if (tx.signatures.length) {
    try {
      counted = checkWeight(permission, tx.signatures, tx.txId);
    } catch (e) {
      if (!(e instanceof SignatureProblem)) throw e;
      return { permission, approved: [], weight: 0, code: e.code, message: e.message };
    }
  }
  const code = counted.weight >= permission.threshold ? 'ENOUGH_PERMISSION' : 'NOT_ENOUGH_PERMISSION';
  return { permission, ...counted, code };
}

/**
 * getapprovedlist, as java-tron's Wallet.getTransactionApprovedList: the signer of every signature, whether
 * or not the permission holds its key.
 */
export function approvedList(tx: PackedTransaction, hasAccount: (address: string) => boolean): ApprovedList {
  const first = tx.raw.contracts[0];
  if (!first) return { approved: [], code: 'OTHER_ERROR', message: NO_CONTRACT };
  if (!hasAccount(first.value.ownerAddress)) {
    // java-tron throws a PermissionException here but catches it as any other exception
    return {
      approved: [],
      code: 'OTHER_ERROR',
      message: 'class org.tron.core.exception.PermissionException : Account does not exist!',
    };
  }
  try {
    return { approved: tx.signatures.map((s) => signerOf(tx.txId, s)), code: 'SUCCESS' };
  } catch (e) {
    if (!(e instanceof SignatureProblem) || e.code === 'PERMISSION_ERROR') throw e;
    return { approved: [], code: e.code, message: e.message };
  }
}
