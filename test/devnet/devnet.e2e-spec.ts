import {
  appendFileSync,
  promises as fsPromises,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DevnetHandle, MULTICALL_ENERGY, startDevnet, USDT_ENERGY } from '@app/tron-devnet';
import { TronWeb, Types, utils } from 'tronweb';

/* TronWeb's return types are loose unions; the tests read fields dynamically. */
/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-base-to-string --
   TronWeb contract methods are typed `any`. */
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- TronWeb response shapes

const FEE_LIMIT = 100_000_000;
/** java-tron's messages: the UTF-8 bytes as bare hex. */
const utf8Hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

describe('tron-devnet with unmodified TronWeb', () => {
  let devnet: DevnetHandle;
  let tw: TronWeb;
  let usdtAddress: string;
  let owner: { address: string; privateKey: string };
  let alice: { address: string; privateKey: string };
  let bob: { address: string; privateKey: string };

  const client = (privateKey: string): TronWeb => new TronWeb({ fullHost: devnet.url, privateKey });

  const sendTransfer = async (
    from: { privateKey: string; address: string },
    to: string,
    amount: bigint,
    feeLimit = FEE_LIMIT,
  ) => {
    const t = client(from.privateKey);
    const built: Loose = await t.transactionBuilder.triggerSmartContract(
      usdtAddress,
      'transfer(address,uint256)',
      { feeLimit },
      [
        { type: 'address', value: to },
        { type: 'uint256', value: amount.toString() },
      ],
      from.address,
    );
    const signed = await t.trx.sign(built.transaction, from.privateKey);
    const result: Loose = await t.trx.sendRawTransaction(signed);
    return { signed, result };
  };

  /** the head (unsolidified) receipt: TronWeb's getTransactionInfo reads /walletsolidity */
  const receipt = (txid: string): Promise<Loose> => tw.trx.getUnconfirmedTransactionInfo(txid);

  const balanceOf = async (address: string): Promise<bigint> => {
    const c = await tw.contract().at(usdtAddress);
    const v: Loose = await c.balanceOf(address).call();
    return BigInt(v.toString());
  };

  beforeAll(async () => {
    devnet = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 3, accounts: 3 });
    const info = devnet.info;
    usdtAddress = info.usdt.address;
    [owner, alice, bob] = info.accounts;
    tw = client(owner.privateKey);
  });

  afterAll(async () => {
    await devnet.stop();
  });

  it('reports the USDT contract through getcontract and constant calls', async () => {
    const c = await tw.contract().at(usdtAddress);
    expect(await c.name().call()).toBe('Tether USD');
    expect(await c.symbol().call()).toBe('USDT');
    expect(Number(await c.decimals().call())).toBe(6);
    expect(await c.paused().call()).toBe(false);
    expect(BigInt((await c.totalSupply().call()).toString())).toBe(3_000_000_000_000n);
    expect(await balanceOf(alice.address)).toBe(1_000_000_000_000n);
  });

  it('deploys a code-only contract that getcontract and getcontractinfo know, over HTTP as java-tron answers', async () => {
    const res = await fetch(`${devnet.url}/devnet/contracts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'PaymentRouter' }),
    });
    const { address, name } = (await res.json()) as { address: string; name: string };
    expect(name).toBe('PaymentRouter');
    expect(TronWeb.isAddress(address)).toBe(true);
    const contract: Loose = await tw.trx.getContract(address);
    expect(contract).toMatchObject({
      name: 'PaymentRouter',
      contract_address: TronWeb.address.toHex(address),
    });
    expect(contract.bytecode).toEqual(expect.any(String));
    const info: Loose = await tw.fullNode.request(
      'wallet/getcontractinfo',
      { value: address, visible: true },
      'post',
    );
    expect(info.smart_contract).toMatchObject({ name: 'PaymentRouter', contract_address: address });
    // A person's account has no contract.
    const none: Loose = await tw.fullNode.request(
      'wallet/getcontract',
      { value: alice.address, visible: true },
      'post',
    );
    expect(none).toEqual({});
  });

  it('reads blocks, balances and resources', async () => {
    await devnet.mine(2);
    const block: Loose = await tw.trx.getCurrentBlock();
    expect(block.block_header.raw_data.number).toBe(devnet.info.head);
    expect(block.blockID).toMatch(/^[0-9a-f]{64}$/);
    // getBalance reads /walletsolidity: genesis balances are solidified
    expect(await tw.trx.getBalance(alice.address)).toBe(10_000_000_000);
    const res: Loose = await tw.trx.getAccountResources(alice.address);
    expect(res.freeNetLimit).toBe(600);
    const params: Loose[] = await tw.trx.getChainParameters();
    expect(params.find((p) => p.key === 'getEnergyFee')?.value).toBe(100);
  });

  it('transfers through contract().send() and records fee, energy, logs and receipt', async () => {
    const fresh = utils.accounts.generateAccount();
    const t = client(alice.privateKey);
    const c = await t.contract().at(usdtAddress);
    const txid: string = await c.transfer(fresh.address.base58, 1_500_000).send({ feeLimit: FEE_LIMIT });
    expect(txid).toMatch(/^[0-9a-f]{64}$/);
    expect(await receipt(txid)).toEqual({});
    await devnet.mine(1);
    const info: Loose = await receipt(txid);
    expect(info.receipt.result).toBe('SUCCESS');
    expect(info.receipt.energy_usage_total).toBe(130_285);
    expect(info.receipt.energy_fee).toBe(13_028_500);
    expect(info.receipt.net_usage).toBeGreaterThan(250);
    expect(info.fee).toBe(13_028_500);
    expect(info.contractResult).toEqual(['0'.repeat(64)]);
    expect(info.log).toHaveLength(1);
    expect(info.log[0].topics[0]).toBe('ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef');
    expect(info.log[0].topics[2]).toBe('0'.repeat(24) + fresh.address.hex.slice(2).toLowerCase());
    expect(BigInt('0x' + info.log[0].data)).toBe(1_500_000n);
    expect(await balanceOf(fresh.address.base58)).toBe(1_500_000n);
    expect(await tw.trx.getUnconfirmedBalance(alice.address)).toBe(10_000_000_000 - 13_028_500);
    const tx: Loose = await tw.trx.getTransaction(txid);
    expect(tx.ret).toEqual([{ contractRet: 'SUCCESS' }]);
    // java-tron prints a stored transaction without `visible` (only transactions it builds carry it)
    expect(tx).not.toHaveProperty('visible');
    const shown: Loose = await tw.fullNode.request(
      'wallet/gettransactionbyid',
      { value: txid, visible: true },
      'post',
    );
    expect(shown.raw_data.contract[0].parameter.value.owner_address).toBe(alice.address);
    expect(Object.keys(shown).sort()).toEqual(['raw_data', 'raw_data_hex', 'ret', 'signature', 'txID']);
  });

  it('transfers through triggerSmartContract + sign + sendRawTransaction, to an existing holder', async () => {
    const { signed, result } = await sendTransfer(alice, bob.address, 2_000_000n);
    expect(result.result).toBe(true);
    expect(result.txid).toBe(signed.txID);
    await devnet.mine(1);
    const info: Loose = await receipt(signed.txID);
    expect(info.receipt.result).toBe('SUCCESS');
    expect(info.receipt.energy_usage_total).toBe(64_285);
    expect(info.blockNumber).toBe(devnet.info.head);
  });

  it('broadcasts hex transactions', async () => {
    const t = client(alice.privateKey);
    const built: Loose = await t.transactionBuilder.triggerSmartContract(
      usdtAddress,
      'transfer(address,uint256)',
      { feeLimit: FEE_LIMIT },
      [
        { type: 'address', value: bob.address },
        { type: 'uint256', value: '5' },
      ],
      alice.address,
    );
    const signed: Loose = await t.trx.sign(built.transaction, alice.privateKey);
    const pb = utils.transaction.txJsonToPb(signed);
    for (const s of signed.signature as string[]) pb.addSignature(Buffer.from(s, 'hex'));
    const hex = Buffer.from(pb.serializeBinary()).toString('hex');
    const res: Loose = await t.trx.sendHexTransaction(hex);
    expect(res.result).toBe(true);
    expect(res.txid).toBe(signed.txID);
    await devnet.mine(1);
  });

  it('runs approve + transferFrom + allowance', async () => {
    const a = await client(alice.privateKey).contract().at(usdtAddress);
    const approveTx: string = await a.approve(bob.address, 3_000_000).send({ feeLimit: FEE_LIMIT });
    await devnet.mine(1);
    expect((await receipt(approveTx)).receipt.result).toBe('SUCCESS');
    expect(BigInt((await a.allowance(alice.address, bob.address).call()).toString())).toBe(3_000_000n);
    const before = await balanceOf(owner.address);
    const b = await client(bob.privateKey).contract().at(usdtAddress);
    const tfTx: string = await b
      .transferFrom(alice.address, owner.address, 1_000_000)
      .send({ feeLimit: FEE_LIMIT });
    await devnet.mine(1);
    const info: Loose = await receipt(tfTx);
    expect(info.receipt.result).toBe('SUCCESS');
    expect(await balanceOf(owner.address)).toBe(before + 1_000_000n);
    expect(BigInt((await a.allowance(alice.address, bob.address).call()).toString())).toBe(2_000_000n);
    // more than the remaining allowance reverts
    const over: string = await b
      .transferFrom(alice.address, owner.address, 5_000_000)
      .send({ feeLimit: FEE_LIMIT });
    await devnet.mine(1);
    expect((await receipt(over)).receipt.result).toBe('REVERT');
  });

  it('rejects a forged signature with SIGERROR', async () => {
    const t = client(alice.privateKey);
    const built: Loose = await t.transactionBuilder.triggerSmartContract(
      usdtAddress,
      'transfer(address,uint256)',
      { feeLimit: FEE_LIMIT },
      [
        { type: 'address', value: bob.address },
        { type: 'uint256', value: '1' },
      ],
      alice.address,
    );
    // TronWeb refuses to sign with a key that does not own the transaction, so sign the txID directly
    const forged = utils.crypto.signTransaction(bob.privateKey, built.transaction);
    const res: Loose = await t.trx.sendRawTransaction(forged);
    expect(res.code).toBe('SIGERROR');
    expect(res.txid).toBe(forged.txID);
    expect(TronWeb.toUtf8(res.message)).toContain('validate signature error');
  });

  /** An unsigned USDT transfer from alice built by the node (hex addresses, visible=false). */
  const unsignedTransfer = async (): Promise<Types.Transaction> => {
    const built: Loose = await client(alice.privateKey).transactionBuilder.triggerSmartContract(
      usdtAddress,
      'transfer(address,uint256)',
      { feeLimit: FEE_LIMIT },
      [
        { type: 'address', value: bob.address },
        { type: 'uint256', value: '1' },
      ],
      alice.address,
    );
    return built.transaction as Types.Transaction;
  };
  type Signed = Types.SignedTransaction & Types.Transaction;
  /** `tx` signed by its owner through TronWeb (which refuses any other key); `tx` itself is left alone. */
  const signedBy = (privateKey: string, tx: Types.Transaction): Promise<Signed> =>
    client(privateKey).trx.sign(structuredClone(tx), privateKey);
  const withSignatures = (tx: Signed, signature: string[]): Signed => ({ ...tx, signature });
  const post = (path: string, body: unknown): Promise<Loose> =>
    tw.fullNode.request(path, body as Record<string, unknown>, 'post');
  const hexOf = (base58: string): string => TronWeb.address.toHex(base58).toLowerCase();

  it('answers getsignweight as java-tron: owner signature, none, a foreign key, a malformed one', async () => {
    const unsigned = await unsignedTransfer();
    const signed = await signedBy(alice.privateKey, unsigned);
    const ownerPermission = {
      permission_name: 'owner',
      threshold: 1,
      keys: [{ address: hexOf(alice.address), weight: 1 }],
    };

    const enough: Loose = await tw.trx.getSignWeight(structuredClone(signed));
    // ENOUGH_PERMISSION is the enum's 0: protobuf JSON leaves it out, so `result` is empty
    expect(enough.result).toEqual({});
    expect(enough.current_weight).toBe(1);
    expect(enough.approved_list).toEqual([hexOf(alice.address)]);
    expect(enough.permission).toEqual(ownerPermission);
    expect(enough.transaction).toEqual({
      result: { result: true },
      txid: signed.txID,
      transaction: {
        // java-tron prints bytes as lowercase hex; TronWeb writes v in capitals
        signature: signed.signature.map((sig) => sig.toLowerCase()),
        txID: signed.txID,
        raw_data: signed.raw_data,
        raw_data_hex: signed.raw_data_hex,
      },
    });

    const none: Loose = await tw.trx.getSignWeight(structuredClone(unsigned));
    expect(none.result).toEqual({ code: 'NOT_ENOUGH_PERMISSION' });
    expect(none.current_weight).toBeUndefined();
    expect(none.approved_list).toBeUndefined();
    expect(none.permission).toEqual(ownerPermission);
    expect(none.transaction.txid).toBe(unsigned.txID);

    // TronWeb refuses to sign with a key that does not own the transaction, so sign the txID directly
    const forged = utils.crypto.signTransaction(bob.privateKey, structuredClone(unsigned));
    const foreign: Loose = await tw.trx.getSignWeight(forged);
    expect(foreign.result).toEqual({
      code: 'PERMISSION_ERROR',
      message: `${forged.signature[0].toLowerCase()} is signed by ${bob.address} but it is not contained of permission.`,
    });
    expect(foreign.current_weight).toBeUndefined();
    expect(foreign.approved_list).toBeUndefined();

    const short: Loose = await tw.trx.getSignWeight(
      withSignatures(signed, [signed.signature[0].slice(0, 128)]),
    );
    expect(short.result).toEqual({ code: 'SIGNATURE_FORMAT_ERROR', message: 'Signature size is 64' });
    expect(short.current_weight).toBeUndefined();
    const badHeader: Loose = await tw.trx.getSignWeight(
      withSignatures(signed, [signed.signature[0].slice(0, 128) + '25']),
    );
    expect(badHeader.result).toEqual({
      code: 'COMPUTE_ADDRESS_ERROR',
      message: 'java.security.SignatureException: Header byte out of range: 37',
    });
  });

  it('getsignweight follows visible, and answers bad input as java-tron does', async () => {
    const built: Loose = await post('wallet/createtransaction', {
      owner_address: alice.address,
      to_address: bob.address,
      amount: 1_000,
      visible: true,
    });
    expect(built.visible).toBe(true);
    const signed = await signedBy(alice.privateKey, built as Types.Transaction);
    const weight: Loose = await post('wallet/getsignweight', signed);
    expect(weight.result).toEqual({});
    expect(weight.approved_list).toEqual([alice.address]);
    expect(weight.permission.keys).toEqual([{ address: alice.address, weight: 1 }]);
    expect(weight.transaction.transaction.raw_data.contract[0].parameter.value.owner_address).toBe(
      alice.address,
    );
    expect(weight.transaction.txid).toBe(signed.txID);

    // base58 addresses under visible=false do not parse: java-tron drops the contract
    const mismatched: Loose = await post('wallet/getsignweight', { ...signed, visible: false });
    expect(mismatched.result).toEqual({
      code: 'OTHER_ERROR',
      message: 'Invalid transaction: no valid contract',
    });
    expect(mismatched.permission).toBeUndefined();
    expect(mismatched.transaction.transaction.raw_data.contract).toEqual([]);

    const stranger = utils.accounts.generateAccount().address.base58;
    const fresh: Loose = await post('wallet/getsignweight', {
      ...built,
      raw_data: {
        ...built.raw_data,
        contract: [
          {
            ...built.raw_data.contract[0],
            parameter: {
              ...built.raw_data.contract[0].parameter,
              value: { ...built.raw_data.contract[0].parameter.value, owner_address: stranger },
            },
          },
        ],
      },
    });
    expect(fresh.result).toEqual({ code: 'PERMISSION_ERROR', message: 'Account does not exist!' });
    expect(await post('wallet/getsignweight', {})).toEqual({
      Error: 'class java.lang.NullPointerException : null',
    });
  });

  it('lists every signer with getapprovedlist', async () => {
    const unsigned = await unsignedTransfer();
    const signed = await signedBy(alice.privateKey, unsigned);
    const mine: Loose = await tw.trx.getApprovedList(signed);
    expect(mine.result).toEqual({});
    expect(mine.approved_list).toEqual([hexOf(alice.address)]);
    expect(mine.transaction.txid).toBe(signed.txID);
    // unlike getsignweight it names a signer outside the permission
    const forged = utils.crypto.signTransaction(bob.privateKey, structuredClone(unsigned));
    expect((await tw.trx.getApprovedList(forged)).approved_list).toEqual([hexOf(bob.address)]);
    const none: Loose = await tw.trx.getApprovedList(unsigned);
    expect(none.result).toEqual({});
    expect(none.approved_list).toBeUndefined();
    const short: Loose = await tw.trx.getApprovedList(withSignatures(signed, ['abcd']));
    expect(short.result).toEqual({ code: 'SIGNATURE_FORMAT_ERROR', message: 'Signature size is 2' });
  });

  it("serves TronWeb's getsignweight paths: extendExpiration and multiSign with the active permission", async () => {
    const t = client(alice.privateKey);
    const unsigned = await unsignedTransfer();
    // without txLocal, TronWeb asks getsignweight for the altered transaction's txID and bytes
    const extended = await t.transactionBuilder.extendExpiration(structuredClone(unsigned), 30);
    expect(extended.raw_data.expiration).toBe(unsigned.raw_data.expiration + 30_000);
    expect(extended.txID).not.toBe(unsigned.txID);
    const sent: Loose = await t.trx.sendRawTransaction(await signedBy(alice.privateKey, extended));
    expect(sent.result).toBe(true);
    expect(sent.txid).toBe(extended.txID);
    await devnet.mine(1);
    expect((await receipt(extended.txID)).receipt.result).toBe('SUCCESS');

    const active = await t.trx.multiSign(structuredClone(unsigned), alice.privateKey, 2);
    expect(active.raw_data.contract[0].Permission_id).toBe(2);
    expect(active.signature).toHaveLength(1);
    const weight: Loose = await tw.trx.getSignWeight(active);
    expect(weight.result).toEqual({});
    expect(weight.permission).toMatchObject({
      type: 'Active',
      id: 2,
      permission_name: 'active',
      threshold: 1,
    });
    await expect(t.trx.multiSign(structuredClone(unsigned), bob.privateKey, 2)).rejects.toThrow(
      'has no permission to sign',
    );
  });

  it('validates addresses as java-tron: base58, hex, base64 and broken ones', async () => {
    const get = async (address: string): Promise<Loose> =>
      (await (
        await fetch(`${devnet.url}/wallet/validateaddress?address=${encodeURIComponent(address)}`)
      ).json()) as Loose;
    expect(await get(alice.address)).toEqual({ result: true, message: 'Base58check format' });
    expect(await post('wallet/validateaddress', { address: hexOf(alice.address) })).toEqual({
      result: true,
      message: 'Hex string format',
    });
    const base64 = Buffer.from(hexOf(alice.address), 'hex').toString('base64');
    expect(await post('wallet/validateaddress', { address: base64 })).toEqual({
      result: true,
      message: 'Base64 format',
    });
    const last = alice.address.endsWith('1') ? '2' : '1';
    expect(await get(alice.address.slice(0, 33) + last)).toEqual({
      result: false,
      message: 'Invalid address',
    });
    expect(await get(alice.address.slice(0, 33) + '0')).toEqual({
      result: false,
      message: 'Illegal character 0 at 33',
    });
    expect(await get('TNotAnAddress')).toEqual({ result: false, message: 'Length error' });
    expect(await post('wallet/validateaddress', {})).toEqual({ result: false });
  });

  it('rejects an expired transaction and a wrong reference block', async () => {
    const t = client(alice.privateKey);
    const head: Loose = await t.trx.getCurrentBlock();
    const build = async (header: Loose) => {
      const built: Loose = await t.transactionBuilder.triggerSmartContract(
        usdtAddress,
        'transfer(address,uint256)',
        { feeLimit: FEE_LIMIT, txLocal: true, blockHeader: header },
        [
          { type: 'address', value: bob.address },
          { type: 'uint256', value: '1' },
        ],
        alice.address,
      );
      return t.trx.sign(built.transaction, alice.privateKey);
    };
    const ts = head.block_header.raw_data.timestamp as number;
    const ref = {
      ref_block_bytes: (head.block_header.raw_data.number as number).toString(16).slice(-4).padStart(4, '0'),
      ref_block_hash: (head.blockID as string).slice(16, 32),
      timestamp: ts - 120_000,
    };
    const expired: Loose = await t.trx.sendRawTransaction(await build({ ...ref, expiration: ts - 60_000 }));
    expect(expired.code).toBe('TRANSACTION_EXPIRATION_ERROR');
    const badRef: Loose = await t.trx.sendRawTransaction(
      await build({ ...ref, ref_block_hash: 'ffffffffffffffff', expiration: ts + 60_000, timestamp: ts }),
    );
    expect(badRef.code).toBe('TAPOS_ERROR');
  });

  it('answers DUP_TRANSACTION_ERROR for a repeated broadcast, before and after inclusion', async () => {
    const { signed, result } = await sendTransfer(alice, bob.address, 1n);
    expect(result.result).toBe(true);
    const again: Loose = await tw.trx.sendRawTransaction(signed);
    expect(again.code).toBe('DUP_TRANSACTION_ERROR');
    await devnet.mine(1);
    const later: Loose = await tw.trx.sendRawTransaction(signed);
    expect(later.code).toBe('DUP_TRANSACTION_ERROR');
  });

  it('includes a transfer beyond the balance with receipt REVERT and no state change', async () => {
    const before = await balanceOf(alice.address);
    const { signed } = await sendTransfer(alice, bob.address, before + 1n);
    await devnet.mine(1);
    const info: Loose = await receipt(signed.txID);
    expect(info.receipt.result).toBe('REVERT');
    expect(info.result).toBe('FAILED');
    expect(TronWeb.toUtf8(info.resMessage)).toBe('REVERT opcode executed');
    expect(info.log).toBeUndefined();
    expect(await balanceOf(alice.address)).toBe(before);
  });

  it('burns the fee and keeps tokens on OUT_OF_ENERGY', async () => {
    const before = await balanceOf(alice.address);
    const trxBefore = await tw.trx.getUnconfirmedBalance(alice.address);
    const { signed } = await sendTransfer(alice, bob.address, 10n, 1_000_000);
    await devnet.mine(1);
    const info: Loose = await receipt(signed.txID);
    expect(info.receipt.result).toBe('OUT_OF_ENERGY');
    expect(info.receipt.energy_usage_total).toBe(10_000);
    expect(info.receipt.energy_fee).toBe(1_000_000);
    expect(await balanceOf(alice.address)).toBe(before);
    expect(await tw.trx.getUnconfirmedBalance(alice.address)).toBe(trxBefore - info.fee);
  });

  it('reverts transfers while paused and from a blacklisted sender', async () => {
    await devnet.setPaused(true);
    const c = await tw.contract().at(usdtAddress);
    expect(await c.paused().call()).toBe(true);
    const paused = await sendTransfer(alice, bob.address, 1n);
    await devnet.mine(1);
    expect((await receipt(paused.signed.txID)).receipt.result).toBe('REVERT');
    await devnet.setPaused(false);

    const res = await fetch(`${devnet.url}/devnet/blacklist`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: alice.address, blacklisted: true }),
    });
    expect(res.status).toBe(200);
    expect(await c.isBlackListed(alice.address).call()).toBe(true);
    const black = await sendTransfer(alice, bob.address, 1n);
    await devnet.mine(1);
    expect((await receipt(black.signed.txID)).receipt.result).toBe('REVERT');
    await devnet.setBlacklisted(alice.address, false);
    const fine = await sendTransfer(alice, bob.address, 1n);
    await devnet.mine(1);
    expect((await receipt(fine.signed.txID)).receipt.result).toBe('SUCCESS');
  });

  it('owner functions work as transactions: issue and addBlackList', async () => {
    const c = await client(owner.privateKey).contract().at(usdtAddress);
    const supply = BigInt((await c.totalSupply().call()).toString());
    await c.issue(5_000_000).send({ feeLimit: FEE_LIMIT });
    const notOwner = await client(bob.privateKey).contract().at(usdtAddress);
    const denied: string = await notOwner.issue(5_000_000).send({ feeLimit: FEE_LIMIT });
    await devnet.mine(1);
    expect(BigInt((await c.totalSupply().call()).toString())).toBe(supply + 5_000_000n);
    expect((await receipt(denied)).receipt.result).toBe('REVERT');
  });

  const estimateBody = (): Loose => ({
    owner_address: alice.address,
    contract_address: usdtAddress,
    function_selector: 'transfer(address,uint256)',
    parameter: '0'.repeat(24) + hexOf(bob.address).slice(2) + '1'.padStart(64, '0'),
  });

  it('estimates energy and serves TronGrid events and TRC-20 history', async () => {
    const est: Loose = await tw.transactionBuilder.estimateEnergy(
      usdtAddress,
      'transfer(address,uint256)',
      {},
      [
        { type: 'address', value: bob.address },
        { type: 'uint256', value: '1' },
      ],
      alice.address,
    );
    // java-tron searches fee_limit down to 1 TRX of precision, so it answers above the 64,285 used
    expect(est.energy_required).toBe(72_321);
    const solidity: Loose = await tw.solidityNode.request(
      'walletsolidity/estimateenergy',
      { ...estimateBody(), visible: true },
      'post',
    );
    expect(solidity).toEqual({ result: { result: true }, energy_required: 72_321 });
    const { owner_address: _omitted, ...noOwner } = estimateBody();
    expect(await post('wallet/estimateenergy', { ...noOwner, visible: true })).toEqual({
      result: {
        code: 'OTHER_ERROR',
        message: utf8Hex("class java.security.InvalidParameterException : owner_address isn't set."),
      },
    });
    const noContract: Loose = await post('wallet/estimateenergy', {
      ...estimateBody(),
      contract_address: bob.address,
      visible: true,
    });
    expect(noContract).toEqual({
      result: { code: 'CONTRACT_VALIDATE_ERROR', message: utf8Hex('Smart contract is not exist.') },
    });
    const { signed } = await sendTransfer(alice, bob.address, 7n);
    await devnet.mine(1);
    const byTx: Loose = await tw.event.getEventsByTransactionID(signed.txID);
    expect(byTx.data).toHaveLength(1);
    expect(byTx.data[0].event_name).toBe('Transfer');
    expect(byTx.data[0].result.value).toBe('7');
    expect(byTx.data[0]._unconfirmed).toBe(true);
    const byContract: Loose = await tw.event.getEventsByContractAddress(usdtAddress, {
      eventName: 'Transfer',
      limit: 2,
    });
    expect(byContract.data).toHaveLength(2);
    expect(byContract.data[0].transaction_id).toBe(signed.txID);
    expect(byContract.meta.fingerprint).toBeDefined();
    const page2: Loose = await tw.event.getEventsByContractAddress(usdtAddress, {
      eventName: 'Transfer',
      limit: 2,
      fingerprint: byContract.meta.fingerprint,
    });
    expect(page2.data[0].transaction_id).not.toBe(byContract.data[1].transaction_id);

    const seen = new Set<string>();
    let fingerprint: string | undefined;
    do {
      const qs = new URLSearchParams({ limit: '3', ...(fingerprint ? { fingerprint } : {}) });
      const r = (await (
        await fetch(`${devnet.url}/v1/accounts/${bob.address}/transactions/trc20?${qs.toString()}`)
      ).json()) as Loose;
      expect(r.success).toBe(true);
      for (const d of r.data as Loose[]) {
        expect(d.token_info.symbol).toBe('USDT');
        seen.add(`${d.transaction_id}:${d.type}`);
      }
      fingerprint = r.meta.fingerprint;
    } while (fingerprint);
    expect(seen.has(`${signed.txID}:Transfer`)).toBe(true);
    const acct = (await (await fetch(`${devnet.url}/v1/accounts/${bob.address}`)).json()) as Loose;
    expect(acct.data[0].trc20[0][usdtAddress]).toBe((await balanceOf(bob.address)).toString());
  });

  it('shows a transaction on /walletsolidity only after solidityLag blocks', async () => {
    const { signed } = await sendTransfer(alice, bob.address, 3n);
    await devnet.mine(1);
    const solid = () => tw.trx.getConfirmedTransaction(signed.txID).catch(() => undefined);
    expect(await solid()).toBeUndefined();
    expect(await tw.trx.getUnconfirmedTransactionInfo(signed.txID)).toHaveProperty('id', signed.txID);
    await devnet.mine(2);
    expect(await solid()).toBeUndefined();
    await devnet.mine(1);
    expect(((await solid()) as Loose).txID).toBe(signed.txID);
    const solidBlock: Loose = await tw.trx.getConfirmedCurrentBlock();
    expect(solidBlock.block_header.raw_data.number).toBe(devnet.info.head - 3);
  });

  it('sends TRX with createtransaction and funds new accounts', async () => {
    const fresh = utils.accounts.generateAccount();
    const t = client(alice.privateKey);
    const res: Loose = await t.trx.sendTransaction(fresh.address.base58, 2_000_000);
    expect(res.result).toBe(true);
    await devnet.mine(1);
    expect(await tw.trx.getUnconfirmedBalance(fresh.address.base58)).toBe(2_000_000);
    const funded = await devnet.fund(fresh.address.base58, { trxSun: 1n, usdtRaw: '42' });
    expect(funded).toEqual({ address: fresh.address.base58, trxSun: '2000001', usdtRaw: '42' });
  });

  it('injects faults: broadcast error, dropped response, node down, delay', async () => {
    devnet.setFaults({ broadcast: { mode: 'error', count: 1 } });
    const failed = await sendTransfer(alice, bob.address, 1n);
    expect(failed.result.code).toBe('SERVER_BUSY');
    const passed = await sendTransfer(alice, bob.address, 1n);
    expect(passed.result.result).toBe(true);

    devnet.setFaults({ broadcast: { mode: 'drop-response' } });
    await expect(sendTransfer(alice, bob.address, 2n)).rejects.toThrow();
    devnet.setFaults({ clear: true });
    await devnet.mine(1);
    const block: Loose = await tw.trx.getCurrentBlock();
    expect(block.transactions).toHaveLength(2);

    const r = await fetch(`${devnet.url}/devnet/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ down: true }),
    });
    expect(await r.json()).toEqual({ down: true });
    await expect(tw.trx.getCurrentBlock()).rejects.toThrow();
    devnet.setFaults({ delayMs: 150 });
    const t0 = Date.now();
    await tw.trx.getCurrentBlock();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    devnet.setFaults({});
    expect((await (await fetch(`${devnet.url}/devnet/faults`)).json()) as Loose).toEqual({});
  });
});

describe('tron-devnet multicall (constant calls only)', () => {
  const AGGREGATE = 'aggregate((address,bytes)[])';
  const abi = utils.ethersUtils.AbiCoder.defaultAbiCoder();
  let devnet: DevnetHandle;
  let tw: TronWeb;
  let usdtAddress: string;
  let multicallAddress: string;
  let alice: { address: string; privateKey: string };
  let bob: { address: string; privateKey: string };

  /** ethers' form of a TRON address: 0x + the 20-byte id */
  const evmOf = (base58: string): string => '0x' + TronWeb.address.toHex(base58).slice(2).toLowerCase();
  const word = (base58: string): string => evmOf(base58).slice(2).padStart(64, '0');
  const selector = (signature: string): string =>
    utils.ethersUtils.keccak256(Buffer.from(signature, 'utf8')).slice(2, 10);
  /** one Multicall `Call`: [target, callData] */
  const call = (target: string, signature: string, argsHex = ''): [string, string] => [
    evmOf(target),
    '0x' + selector(signature) + argsHex,
  ];
  const callsParameter = (calls: Array<[string, string]>) => [
    { type: 'tuple(address,bytes)[]', value: calls },
  ];
  const aggregateBody = (calls: Array<[string, string]>): Loose => ({
    owner_address: alice.address,
    contract_address: multicallAddress,
    function_selector: AGGREGATE,
    parameter: abi.encode(['tuple(address,bytes)[]'], [calls]).slice(2),
    visible: true,
  });
  const decodeAggregate = (hex: string): { blockNumber: bigint; returnData: string[] } => {
    const [blockNumber, returnData] = abi.decode(['uint256', 'bytes[]'], '0x' + hex) as unknown as [
      bigint,
      string[],
    ];
    return { blockNumber, returnData: [...returnData] };
  };
  const post = (path: string, body: unknown): Promise<Loose> =>
    tw.fullNode.request(path, body as Record<string, unknown>, 'post');

  beforeAll(async () => {
    devnet = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 3, accounts: 3 });
    const info = devnet.info;
    usdtAddress = info.usdt.address;
    multicallAddress = info.multicall.address;
    [, alice, bob] = info.accounts;
    tw = new TronWeb({ fullHost: devnet.url, privateKey: alice.privateKey });
  });

  afterAll(async () => {
    await devnet.stop();
  });

  it('reports its address in /devnet/info, derived from the seed like USDT', async () => {
    const info = (await (await fetch(`${devnet.url}/devnet/info`)).json()) as Loose;
    expect(info.multicall).toEqual({ address: multicallAddress });
    expect(TronWeb.isAddress(multicallAddress)).toBe(true);
    expect(multicallAddress).not.toBe(usdtAddress);
    const again = await startDevnet({ port: 0, blockIntervalMs: 0, accounts: 3 });
    const other = await startDevnet({ port: 0, blockIntervalMs: 0, accounts: 3, seed: 'another-seed' });
    try {
      expect(again.info.multicall.address).toBe(multicallAddress);
      expect(other.info.multicall.address).not.toBe(multicallAddress);
    } finally {
      await again.stop();
      await other.stop();
    }
  });

  it('batches isBlackListed and balanceOf on USDT into one triggerconstantcontract', async () => {
    const listed = utils.accounts.generateAccount().address.base58;
    const clean = utils.accounts.generateAccount().address.base58;
    const res = await fetch(`${devnet.url}/devnet/blacklist`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: listed, blacklisted: true }),
    });
    expect(await res.json()).toEqual({ address: listed, blacklisted: true });
    await devnet.fund(bob.address, { usdtRaw: 4_321n });
    await devnet.mine(2);
    const calls = [
      call(usdtAddress, 'isBlackListed(address)', word(alice.address)),
      call(usdtAddress, 'isBlackListed(address)', word(listed)),
      call(usdtAddress, 'isBlackListed(address)', word(clean)),
      call(usdtAddress, 'balanceOf(address)', word(bob.address)),
    ];
    const answer: Loose = await tw.transactionBuilder.triggerConstantContract(
      multicallAddress,
      AGGREGATE,
      {},
      callsParameter(calls),
      alice.address,
    );
    expect(answer.result).toEqual({ result: true });
    expect(answer.transaction.ret).toEqual([{}]);
    const { blockNumber, returnData } = decodeAggregate(answer.constant_result[0]);
    expect(blockNumber).toBe(BigInt(devnet.info.head));
    expect(returnData).toHaveLength(4);
    const bool = (hex: string): boolean => abi.decode(['bool'], hex)[0] as boolean;
    expect(returnData.slice(0, 3).map(bool)).toEqual([false, true, false]);
    expect(abi.decode(['uint256'], returnData[3])[0]).toBe(1_000_000_000_000n + 4_321n);
    // 1,000 + 4 x (2,000 per call + 540 per USDT view)
    expect(answer.energy_used).toBe(
      MULTICALL_ENERGY.aggregateBase + 4 * (MULTICALL_ENERGY.perCall + USDT_ENERGY.view),
    );
    expect(answer.energy_used).toBe(11_160);

    // /walletsolidity runs it too (against the head state, as its USDT calls)
    const solid: Loose = await tw.solidityNode.request(
      'walletsolidity/triggerconstantcontract',
      aggregateBody(calls),
      'post',
    );
    expect(solid.constant_result).toEqual(answer.constant_result);
    // and TronWeb's contract().at() reads getBlockNumber through getcontract's ABI
    const contract = await tw.contract().at(multicallAddress);
    expect(BigInt((await contract.getBlockNumber().call()).toString())).toBe(BigInt(devnet.info.head));
  });

  it('reverts the whole aggregate as a reverted USDT constant call answers when an inner call fails', async () => {
    const usdtRevert = await post('wallet/triggerconstantcontract', {
      owner_address: alice.address,
      contract_address: usdtAddress,
      function_selector: 'noSuchFunction()',
      visible: true,
    });
    expect(usdtRevert.result).toEqual({ result: true, message: utf8Hex('REVERT opcode executed') });
    expect(usdtRevert.constant_result).toEqual(['']);
    expect(usdtRevert.transaction.ret).toEqual([{ ret: 'FAILED' }]);

    const shape = (r: Loose) => ({
      keys: Object.keys(r).sort(),
      result: r.result as unknown,
      constant_result: r.constant_result as unknown,
      ret: r.transaction.ret as unknown,
    });
    const isBlackListed = call(usdtAddress, 'isBlackListed(address)', word(bob.address));
    const failing: Array<[string, Array<[string, string]>]> = [
      ['an unknown selector', [isBlackListed, call(usdtAddress, 'noSuchFunction()')]],
      [
        'a target without code',
        [isBlackListed, call(bob.address, 'isBlackListed(address)', word(bob.address))],
      ],
    ];
    for (const [, calls] of failing) {
      const reverted = await post('wallet/triggerconstantcontract', aggregateBody(calls));
      expect(shape(reverted)).toEqual(shape(usdtRevert));
      expect(reverted.energy_used).toBeGreaterThan(0);
      // TronWeb turns the message into an error, as for USDT
      await expect(
        tw.transactionBuilder.triggerConstantContract(
          multicallAddress,
          AGGREGATE,
          {},
          callsParameter(calls),
          alice.address,
        ),
      ).rejects.toThrow('REVERT opcode executed');
    }
    const malformed = await post('wallet/triggerconstantcontract', {
      ...aggregateBody([]),
      parameter: '00'.repeat(31) + '20',
    });
    expect(shape(malformed)).toEqual(shape(usdtRevert));
  });

  it('answers getcontract and getcontractinfo with the Multicall ABI', async () => {
    const contract: Loose = await tw.trx.getContract(multicallAddress);
    expect(contract).toMatchObject({
      name: 'Multicall',
      contract_address: TronWeb.address.toHex(multicallAddress).toLowerCase(),
    });
    const entries = contract.abi.entrys as Loose[];
    expect(entries.find((e) => e.name === 'aggregate')).toEqual({
      inputs: [
        {
          components: [
            { name: 'target', type: 'address' },
            { name: 'callData', type: 'bytes' },
          ],
          name: 'calls',
          type: 'tuple[]',
        },
      ],
      name: 'aggregate',
      outputs: [
        { name: 'blockNumber', type: 'uint256' },
        { name: 'returnData', type: 'bytes[]' },
      ],
      stateMutability: 'Nonpayable',
      type: 'Function',
    });
    expect(entries.find((e) => e.name === 'getBlockNumber')).toMatchObject({
      outputs: [{ name: 'blockNumber', type: 'uint256' }],
      stateMutability: 'View',
    });
    const info = await post('wallet/getcontractinfo', { value: multicallAddress, visible: true });
    expect(info.smart_contract).toMatchObject({ name: 'Multicall', contract_address: multicallAddress });
  });

  it('estimates the energy of an aggregate, and refuses one that reverts as for USDT', async () => {
    const calls = [
      call(usdtAddress, 'isBlackListed(address)', word(alice.address)),
      call(usdtAddress, 'isBlackListed(address)', word(bob.address)),
    ];
    const est: Loose = await tw.transactionBuilder.estimateEnergy(
      multicallAddress,
      AGGREGATE,
      {},
      callsParameter(calls),
      alice.address,
    );
    // 6,080 used (1,000 + 2 x 2,540); java-tron's search starts at twice the fee, already within 1 TRX
    expect(est).toEqual({ result: { result: true }, energy_required: 12_160 });
    const solid: Loose = await tw.solidityNode.request(
      'walletsolidity/estimateenergy',
      aggregateBody(calls),
      'post',
    );
    expect(solid).toEqual({ result: { result: true }, energy_required: est.energy_required });
    const reverted = await post(
      'wallet/estimateenergy',
      aggregateBody([call(usdtAddress, 'noSuchFunction()')]),
    );
    expect(reverted).toEqual({
      result: { code: 'CONTRACT_EXE_ERROR', message: utf8Hex('REVERT opcode executed') },
    });
  });

  it('refuses a transaction to it as to any contract the devnet does not execute', async () => {
    const calls = [call(usdtAddress, 'isBlackListed(address)', word(bob.address))];
    await expect(
      tw.transactionBuilder.triggerSmartContract(
        multicallAddress,
        AGGREGATE,
        { feeLimit: FEE_LIMIT },
        callsParameter(calls),
        alice.address,
      ),
    ).rejects.toThrow('contract validate error : No contract or not a valid smart contract');
    // built locally, signed and broadcast: refused at validation, as java-tron refuses a call to no contract
    const local: Loose = await tw.transactionBuilder.triggerSmartContract(
      multicallAddress,
      AGGREGATE,
      { feeLimit: FEE_LIMIT, txLocal: true },
      callsParameter(calls),
      alice.address,
    );
    const signed = await tw.trx.sign(local.transaction, alice.privateKey);
    const sent: Loose = await tw.trx.sendRawTransaction(signed);
    expect(sent).toMatchObject({
      code: 'CONTRACT_VALIDATE_ERROR',
      message: utf8Hex('contract validate error : No contract or not a valid smart contract'),
    });
  });
});

describe('tron-devnet persistence', () => {
  it('keeps balances and transactions across a restart with a data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tron-devnet-'));
    try {
      const first = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 1, dataDir });
      const [a, b] = first.info.accounts;
      const tw = new TronWeb({ fullHost: first.url, privateKey: a.privateKey });
      const c = await tw.contract().at(first.info.usdt.address);
      const txid: string = await c.transfer(b.address, 123).send({ feeLimit: FEE_LIMIT });
      await first.mine(1);
      const deployed = await first.deployContract('KeptContract');
      const head = first.info.head;
      await first.stop();

      const second = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 1, dataDir });
      const tw2 = new TronWeb({ fullHost: second.url, privateKey: a.privateKey });
      expect(second.info.head).toBe(head);
      expect(second.info.usdt.address).toBe(first.info.usdt.address);
      expect(second.info.multicall.address).toBe(first.info.multicall.address);
      const info: Loose = await tw2.trx.getUnconfirmedTransactionInfo(txid);
      expect(info.receipt.result).toBe('SUCCESS');
      const c2 = await tw2.contract().at(second.info.usdt.address);
      expect(BigInt((await c2.balanceOf(b.address).call()).toString())).toBe(1_000_000_000_123n);
      const events: Loose = await tw2.event.getEventsByTransactionID(txid);
      expect(events.data).toHaveLength(1);
      const kept: Loose = await tw2.fullNode.request(
        'wallet/getcontract',
        { value: deployed, visible: true },
        'post',
      );
      expect(kept).toMatchObject({ name: 'KeptContract', contract_address: deployed });
      await second.mine(1);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('appends each block once: what a write costs does not grow with the blocks behind it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tron-devnet-'));
    const state = join(dataDir, 'devnet-state.json');
    const journal = join(dataDir, 'devnet-blocks.jsonl');
    try {
      const devnet = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 1, dataDir });
      await devnet.mine(1);
      await devnet.save();
      const [stateBefore, journalBefore] = [statSync(state).size, statSync(journal).size];
      await devnet.mine(200);
      await devnet.save();
      // The state file holds no block (a few counters in it may grow by a digit); the journal grew by the
      // 200 blocks, one line each.
      expect(statSync(state).size).toBeLessThan(stateBefore + 100);
      const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(devnet.info.head + 1);
      expect(statSync(journal).size).toBeGreaterThan(journalBefore + 200 * 100);
      await devnet.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('drops journal lines its state does not count (a crash between the two writes) and goes on from there', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tron-devnet-'));
    const journal = join(dataDir, 'devnet-blocks.jsonl');
    try {
      const first = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 1, dataDir });
      await first.mine(3);
      const head = first.info.head;
      await first.stop();
      // A later block's line made it to disk, the state that counts it did not; then a torn line.
      const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
      const last = JSON.parse(lines[lines.length - 1]) as { block: { number: number } };
      appendFileSync(
        journal,
        `${JSON.stringify({ ...last, block: { ...last.block, number: head + 1 } })}\n{"bl`,
      );

      const second = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 1, dataDir });
      expect(second.info.head).toBe(head);
      await second.mine(2);
      await second.stop();

      const third = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 1, dataDir });
      expect(third.info.head).toBe(head + 2);
      const numbers = readFileSync(journal, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { block: { number: number } }).block.number);
      expect(numbers).toEqual(Array.from({ length: head + 3 }, (_, n) => n));
      await third.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('drops the torn part of an append that failed before writing those blocks again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tron-devnet-'));
    const journal = join(dataDir, 'devnet-blocks.jsonl');
    const open = fsPromises.open.bind(fsPromises);
    try {
      const first = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 1, dataDir });
      await first.mine(2);
      await first.save();
      // The next append writes half its lines, then the disk fails.
      const spy = jest.spyOn(fsPromises, 'open').mockImplementationOnce(async (file, flags) => {
        const handle = await open(file, flags);
        return Object.assign(handle, {
          writeFile: async (text: string) => {
            await handle.write(text.slice(0, Math.floor(text.length / 2)));
            throw new Error('disk full');
          },
        });
      });
      await first.mine(3);
      await first.save();
      spy.mockRestore();
      await first.mine(1);
      const head = first.info.head;
      await first.stop();

      const numbers = readFileSync(journal, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { block: { number: number } }).block.number);
      expect(numbers).toEqual(Array.from({ length: head + 1 }, (_, n) => n));
      const second = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 1, dataDir });
      expect(second.info.head).toBe(head);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reads a state written whole by an earlier version (version 1) and carries on in journal form', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tron-devnet-'));
    const state = join(dataDir, 'devnet-state.json');
    const journal = join(dataDir, 'devnet-blocks.jsonl');
    try {
      const first = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 1, dataDir });
      const [a, b] = first.info.accounts;
      const tw = new TronWeb({ fullHost: first.url, privateKey: a.privateKey });
      const c = await tw.contract().at(first.info.usdt.address);
      const txid: string = await c.transfer(b.address, 77).send({ feeLimit: FEE_LIMIT });
      await first.mine(1);
      const head = first.info.head;
      await first.stop();
      // The same chain as version 1 wrote it: one file with the blocks and their transactions.
      const lines = readFileSync(journal, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Loose);
      const { blockCount: _count, ...rest } = JSON.parse(readFileSync(state, 'utf8')) as Loose;
      const v1 = { ...rest, version: 1, blocks: lines.map((l) => l.block), txs: lines.flatMap((l) => l.txs) };
      writeFileSync(state, JSON.stringify(v1));
      rmSync(journal);

      const second = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 1, dataDir });
      expect(second.info.head).toBe(head);
      const tw2 = new TronWeb({ fullHost: second.url, privateKey: a.privateKey });
      const info: Loose = await tw2.trx.getUnconfirmedTransactionInfo(txid);
      expect(info.receipt.result).toBe('SUCCESS');
      await second.mine(1);
      await second.stop();
      expect((JSON.parse(readFileSync(state, 'utf8')) as Loose).version).toBe(2);
      expect(readFileSync(journal, 'utf8').trimEnd().split('\n')).toHaveLength(head + 2);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
