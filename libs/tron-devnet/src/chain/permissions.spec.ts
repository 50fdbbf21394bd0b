import { hexToBase58 } from '../codec/address';
import { packTransaction } from '../codec/pack-transaction';
import { encodeRawTransaction, rawTransactionFromJson, transactionId } from '../codec/transaction';
import { deriveKey, signDigest } from './keys';
import { approvedList, signWeight } from './permissions';

const alice = deriveKey('permissions-spec', 'account', 0);
const bob = deriveKey('permissions-spec', 'account', 1);

/** A TRX transfer's JSON as a client sends it back (visible=false: hex addresses). */
function transferJson(owner = alice.address, permissionId?: number): Record<string, unknown> {
  return {
    contract: [
      {
        parameter: {
          value: { amount: 5, owner_address: owner, to_address: bob.address },
          type_url: 'type.googleapis.com/protocol.TransferContract',
        },
        type: 'TransferContract',
        ...(permissionId === undefined ? {} : { Permission_id: permissionId }),
      },
    ],
    ref_block_bytes: '0001',
    ref_block_hash: '0102030405060708',
    expiration: 1_700_000_060_000,
    timestamp: 1_700_000_000_000,
  };
}

const rawData = transferJson();
const txId = transactionId(encodeRawTransaction(rawTransactionFromJson(rawData)));
const sign = (privateKey: string, id = txId): string => signDigest(privateKey, id);
const known = (address: string): boolean => address === alice.address || address === bob.address;

const pack = (body: Record<string, unknown>, visible = false) => {
  const tx = packTransaction(body, visible);
  if (!tx) throw new Error('expected a transaction');
  return tx;
};

describe('packTransaction (java-tron Util.packTransaction)', () => {
  it("computes the txID from raw_data, ignoring the client's txID, raw_data_hex and visible", () => {
    const tx = pack({ raw_data: rawData, txID: 'ff'.repeat(32), raw_data_hex: '00', visible: false });
    expect(tx.txId).toBe(txId);
    expect(tx.raw.contracts).toHaveLength(1);
  });

  it('drops a contract whose addresses do not match the visible flag', () => {
    expect(pack({ raw_data: rawData }, true).raw.contracts).toEqual([]);
    const visibleJson = transferJson(hexToBase58(alice.address));
    const value = (visibleJson.contract as Array<{ parameter: { value: Record<string, unknown> } }>)[0]
      .parameter.value;
    value.to_address = hexToBase58(bob.address);
    const tx = pack({ raw_data: visibleJson }, true);
    expect(tx.raw.contracts).toHaveLength(1);
    expect(tx.txId).toBe(txId);
    expect(pack({ raw_data: visibleJson }, false).raw.contracts).toEqual([]);
  });

  it('leaves no transaction without raw_data.contract or with a field outside the contracts that fails', () => {
    expect(packTransaction({}, false)).toBeUndefined();
    expect(packTransaction({ raw_data: { ...rawData, contract: undefined } }, false)).toBeUndefined();
    expect(packTransaction({ raw_data: rawData, signature: ['xyz'] }, false)).toBeUndefined();
    expect(packTransaction({ raw_data: { ...rawData, expiration: '1700000060000' } }, false)).toBeUndefined();
  });
});

describe('getsignweight (java-tron TransactionUtil.getTransactionSignWeight)', () => {
  it("counts the owner's signature against the owner permission", () => {
    const w = signWeight(pack({ raw_data: rawData, signature: [sign(alice.privateKey)] }), known);
    expect(w).toMatchObject({ code: 'ENOUGH_PERMISSION', weight: 1, approved: [alice.address] });
    expect(w.permission).toMatchObject({
      type: 'Owner',
      id: 0,
      threshold: 1,
      keys: [{ address: alice.address }],
    });
  });

  it('reads v as java-tron does: 31 stands for 27', () => {
    const sig = Buffer.from(sign(alice.privateKey), 'hex');
    sig[64] += 4;
    const w = signWeight(pack({ raw_data: rawData, signature: [sig.toString('hex')] }), known);
    expect(w).toMatchObject({ code: 'ENOUGH_PERMISSION', approved: [alice.address] });
  });

  it('has no weight unsigned, and does not count a key outside the permission', () => {
    expect(signWeight(pack({ raw_data: rawData }), known)).toMatchObject({
      code: 'NOT_ENOUGH_PERMISSION',
      weight: 0,
      approved: [],
    });
    const foreign = sign(bob.privateKey);
    const w = signWeight(pack({ raw_data: rawData, signature: [foreign] }), known);
    expect(w).toMatchObject({
      code: 'PERMISSION_ERROR',
      weight: 0,
      approved: [],
      message: `${foreign} is signed by ${hexToBase58(bob.address)} but it is not contained of permission.`,
    });
    expect(w.permission?.keys).toEqual([{ address: alice.address, weight: 1 }]);
    const two = signWeight(pack({ raw_data: rawData, signature: [sign(alice.privateKey), foreign] }), known);
    expect(two).toMatchObject({
      code: 'PERMISSION_ERROR',
      message: 'Signature count is 2 more than key counts of permission : 1',
    });
  });

  it('answers format and recovery errors with their codes', () => {
    const short = sign(alice.privateKey).slice(0, 128);
    expect(signWeight(pack({ raw_data: rawData, signature: [short] }), known)).toMatchObject({
      code: 'SIGNATURE_FORMAT_ERROR',
      message: 'Signature size is 64',
    });
    const badHeader = sign(alice.privateKey).slice(0, 128) + '23';
    expect(signWeight(pack({ raw_data: rawData, signature: [badHeader] }), known)).toMatchObject({
      code: 'COMPUTE_ADDRESS_ERROR',
      message: 'java.security.SignatureException: Header byte out of range: 35',
    });
    const negative = sign(alice.privateKey).slice(0, 128) + 'ff';
    expect(signWeight(pack({ raw_data: rawData, signature: [negative] }), known).message).toBe(
      'java.security.SignatureException: Header byte out of range: 26',
    );
  });

  it('finds the active permission (id 2) and refuses ids that do not exist', () => {
    const active = transferJson(alice.address, 2);
    const activeId = transactionId(encodeRawTransaction(rawTransactionFromJson(active)));
    const w = signWeight(pack({ raw_data: active, signature: [sign(alice.privateKey, activeId)] }), known);
    expect(w).toMatchObject({ code: 'ENOUGH_PERMISSION', permission: { type: 'Active', id: 2 } });
    for (const id of [1, 3]) {
      expect(signWeight(pack({ raw_data: transferJson(alice.address, id) }), known)).toEqual({
        approved: [],
        weight: 0,
        code: 'PERMISSION_ERROR',
        message: 'Permission for this, does not exist!',
      });
    }
  });

  it('refuses an owner without an account and a transaction without a valid contract', () => {
    const stranger = deriveKey('permissions-spec', 'account', 2).address;
    expect(signWeight(pack({ raw_data: transferJson(stranger) }), known)).toMatchObject({
      code: 'PERMISSION_ERROR',
      message: 'Account does not exist!',
    });
    expect(signWeight(pack({ raw_data: { ...rawData, contract: [] } }), known)).toMatchObject({
      code: 'OTHER_ERROR',
      message: 'Invalid transaction: no valid contract',
    });
  });
});

describe('getapprovedlist (java-tron Wallet.getTransactionApprovedList)', () => {
  it('lists the signer of every signature, in or outside the permission', () => {
    const signatures = [sign(alice.privateKey), sign(bob.privateKey)];
    expect(approvedList(pack({ raw_data: rawData, signature: signatures }), known)).toEqual({
      approved: [alice.address, bob.address],
      code: 'SUCCESS',
    });
    expect(approvedList(pack({ raw_data: rawData }), known)).toEqual({ approved: [], code: 'SUCCESS' });
  });

  it('answers format errors, and an owner without an account as OTHER_ERROR', () => {
    expect(approvedList(pack({ raw_data: rawData, signature: ['00'] }), known)).toEqual({
      approved: [],
      code: 'SIGNATURE_FORMAT_ERROR',
      message: 'Signature size is 1',
    });
    expect(approvedList(pack({ raw_data: rawData }), () => false)).toEqual({
      approved: [],
      code: 'OTHER_ERROR',
      message: 'class org.tron.core.exception.PermissionException : Account does not exist!',
    });
  });
});
