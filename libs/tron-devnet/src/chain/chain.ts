import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';

import { contractAddressFrom } from '../codec/address';
import { SignatureVerifier } from '../codec/signature';
import {
  ContractValue,
  encodeRawTransaction,
  RawTransaction,
  TransactionFormatError,
  transactionId,
} from '../codec/transaction';
import { MulticallContract } from '../multicall/multicall-contract';
import { CallOutcome, UsdtContract } from '../usdt/usdt-contract';
import { deriveKey, DevnetKey, signDigest } from './keys';
import {
  Account,
  BlockRecord,
  BroadcastCode,
  BroadcastResult,
  ChainParameters,
  DEFAULT_CHAIN_PARAMETERS,
  EventRecord,
  PendingTx,
  TxInfo,
  TxRecord,
} from './types';

export interface ChainOptions {
  /** number of funded genesis accounts; account 0 owns the USDT contract */
  accounts: number;
  /** seed of the deterministic devnet keys */
  seed: string;
  solidityLag: number;
  initialTrxSun: bigint;
  initialUsdtRaw: bigint;
  parameters?: Partial<ChainParameters>;
  /** clock, for tests */
  now?: () => number;
}

/** How long a node-built transaction stays valid, as java-tron's default (60 s). */
export const TX_EXPIRATION_MS = 60_000;
const MAX_EXPIRATION_MS = 24 * 3600 * 1000;
const MAX_TX_BYTES = 500 * 1024;
/** java-tron adds this to the serialised size when charging bandwidth (MAX_RESULT_SIZE_IN_TX). */
const RESULT_SIZE_IN_TX = 64;
const FREE_NET_WINDOW_MS = 24 * 3600 * 1000;
const REVERT_MESSAGE = 'REVERT opcode executed';

/** A contract the devnet knows by address and name only (see `Chain.otherContracts`). */
export interface OtherContract {
  name: string;
  /** 41-hex address of the deployer. */
  owner: string;
}

export class ChainError extends Error {
  constructor(
    readonly code: BroadcastCode,
    message: string,
  ) {
    super(message);
  }
}

function sha256(...parts: Array<Buffer | string>): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * Chain state: accounts, the USDT contract, blocks, executed transactions and their receipts, the
 * transaction pool and the solidified head. Pure in-memory; persistence snapshots it.
 *
 * Emits 'block' (BlockRecord) after each produced block.
 */
export class Chain extends EventEmitter {
  readonly params: ChainParameters;
  readonly keys: DevnetKey[];
  readonly witness: DevnetKey;
  readonly accounts = new Map<string, Account>();
  usdt: UsdtContract;
  /**
   * The Multicall contract, run only as a constant call (see `MulticallContract`). It keeps no state: its
   * address derives from the seed like USDT's, so a restored chain has it at the same address.
   */
  readonly multicall: MulticallContract;
  /**
   * Contracts other than USDT, deployed through the control API: `getcontract` knows them (so clients can
   * tell a contract account from a person's), but calls to them are not executed.
   */
  readonly otherContracts = new Map<string, OtherContract>();
  readonly blocks: BlockRecord[] = [];
  readonly txs = new Map<string, TxRecord>();
  readonly events: EventRecord[] = [];
  /** per address (41-hex): indexes into `events` of Transfer/Approval logs touching it */
  readonly trc20Index = new Map<string, number[]>();
  pending: PendingTx[] = [];
  private readonly pendingIds = new Set<string>();
  /** TAPOS: ref_block_bytes (hex of the number's low 2 bytes) -> bytes 8..16 of the blockID */
  private readonly recentBlocks = new Map<string, string>();
  /** TRX balances before each not-yet-solidified block (null: the account did not exist) */
  private readonly balanceHistory = new Map<number, Map<string, bigint | null>>();
  private readonly verifier = new SignatureVerifier();
  private readonly now: () => number;
  solidityLag: number;

  constructor(readonly options: ChainOptions) {
    super();
    this.params = { ...DEFAULT_CHAIN_PARAMETERS, ...options.parameters };
    this.now = options.now ?? Date.now;
    this.solidityLag = options.solidityLag;
    this.keys = Array.from({ length: Math.max(1, options.accounts) }, (_, i) =>
      deriveKey(options.seed, 'account', i),
    );
    this.witness = deriveKey(options.seed, 'witness', 0);
    const owner = this.keys[0].address;
    const deployTx = sha256(`devnet-usdt-deploy/${options.seed}`).toString('hex');
    this.usdt = new UsdtContract(contractAddressFrom(deployTx, owner), owner);
    const multicallTx = sha256(`devnet-multicall-deploy/${options.seed}`).toString('hex');
    this.multicall = new MulticallContract(contractAddressFrom(multicallTx, owner), owner, {
      headNumber: () => this.head.number,
      trxBalance: (address) => this.accounts.get(address)?.balance ?? 0n,
      // read `this.usdt` at call time: a restore replaces it
      call: (target, sender, data) =>
        target === this.usdt.address ? this.usdt.call(sender, data, 0n) : undefined,
    });
  }

  /** Genesis: block 0 with the funded accounts and the USDT balances. */
  genesis(): void {
    const t = this.now();
    for (const k of this.keys) {
      this.accounts.set(k.address, this.newAccount(k.address, this.options.initialTrxSun, t));
      if (this.options.initialUsdtRaw > 0n) this.usdt.mint(k.address, this.options.initialUsdtRaw);
    }
    this.appendBlock([], t);
  }

  get head(): BlockRecord {
    return this.blocks[this.blocks.length - 1];
  }

  get solidHeadNumber(): number {
    return Math.max(0, this.head.number - this.solidityLag);
  }

  get usdtAddress(): string {
    return this.usdt.address;
  }

  private newAccount(address: string, balance: bigint, time: number): Account {
    return {
      address,
      balance,
      createTime: time,
      latestOperationTime: time,
      freeNetUsage: 0,
      latestConsumeFreeTime: 0,
    };
  }

  getAccount(address: string): Account | undefined {
    return this.accounts.get(address);
  }

  /** The account as of the solidified head (TRX balance and existence), for /walletsolidity. */
  getSolidAccount(address: string): Account | undefined {
    const current = this.accounts.get(address);
    let before: bigint | null | undefined;
    for (let n = this.solidHeadNumber + 1; n <= this.head.number; n++) {
      const h = this.balanceHistory.get(n);
      if (h?.has(address)) {
        before = h.get(address);
        break;
      }
    }
    if (before === undefined) return current;
    if (before === null || !current) return undefined;
    return { ...current, balance: before };
  }

  /** Free bandwidth used now, after linear recovery over 24 h. */
  freeNetUsed(account: Account, at = this.head.timestamp): number {
    if (!account.freeNetUsage) return 0;
    const elapsed = Math.max(0, at - account.latestConsumeFreeTime);
    if (elapsed >= FREE_NET_WINDOW_MS) return 0;
    return Math.floor((account.freeNetUsage * (FREE_NET_WINDOW_MS - elapsed)) / FREE_NET_WINDOW_MS);
  }

  /**
   * Whether `address` is the USDT contract, the only contract whose transactions the devnet executes (the
   * multicall runs only as a constant call, see `constantCall`).
   */
  isContract(address: string): boolean {
    return address === this.usdt.address;
  }

  /** Whether `address` holds any contract (USDT, the multicall or one deployed with `deployContract`). */
  hasContractCode(address: string): boolean {
    return this.isContract(address) || address === this.multicall.address || this.otherContracts.has(address);
  }

  /** A code-only contract owned by account 0 at a fresh contract address; returns its 41-hex address. */
  deployContract(name: string): string {
    const owner = this.keys[0].address;
    const deployTx = sha256(`devnet-contract/${this.options.seed}/${this.otherContracts.size}`).toString(
      'hex',
    );
    const address = contractAddressFrom(deployTx, owner);
    this.otherContracts.set(address, { name, owner });
    return address;
  }

  // ─── building transactions ────────────────────────────────────────────────────────────────────

  /** A transaction referencing the head block, as java-tron's wallet builds it. */
  buildTransaction(
    contract: ContractValue,
    feeLimit: bigint,
    permissionId = 0,
  ): { raw: RawTransaction; rawBytes: Buffer; id: string } {
    const head = this.head;
    const raw: RawTransaction = {
      refBlockBytes: Buffer.from(head.id.slice(12, 16), 'hex'),
      refBlockHash: Buffer.from(head.id.slice(16, 32), 'hex'),
      expiration: head.timestamp + TX_EXPIRATION_MS,
      timestamp: this.now(),
      feeLimit,
      data: Buffer.alloc(0),
      contract,
      permissionId,
    };
    const rawBytes = encodeRawTransaction(raw);
    return { raw, rawBytes, id: transactionId(rawBytes) };
  }

  /**
   * Runs a contract call without changing state (triggerconstantcontract / estimateenergy) on USDT or the
   * multicall; undefined for any other address.
   */
  constantCall(owner: string, contract: string, data: Buffer, callValue: bigint): CallOutcome | undefined {
    if (this.isContract(contract)) return this.usdt.call(owner, data, callValue);
    if (contract === this.multicall.address) return this.multicall.call(owner, data, callValue);
    return undefined;
  }

  // ─── broadcast ────────────────────────────────────────────────────────────────────────────────

  /** Validates a signed transaction like java-tron's broadcast path and queues it for the next block. */
  broadcast(rawBytes: Buffer, raw: RawTransaction, signatures: Buffer[]): BroadcastResult {
    const id = transactionId(rawBytes);
    try {
      this.validate(id, rawBytes, raw, signatures);
    } catch (e) {
      if (e instanceof ChainError) return { code: e.code, txid: id, message: e.message };
      if (e instanceof TransactionFormatError)
        return { code: 'OTHER_ERROR', txid: id, message: `other error : ${e.message}` };
      throw e;
    }
    const netBytes = this.netBytes(rawBytes, signatures);
    this.pending.push({ id, rawBytes, raw, signatures, netBytes });
    this.pendingIds.add(id);
    return { result: true, txid: id };
  }

  buildTxId(rawBytes: Buffer): string {
    return transactionId(rawBytes);
  }

  has(id: string): boolean {
    return this.pendingIds.has(id) || this.txs.has(id);
  }

  private netBytes(rawBytes: Buffer, signatures: Buffer[]): number {
    // serialised Transaction: raw_data field + each signature field, plus java-tron's result allowance
    let size = rawBytes.length + 1 + varintSize(rawBytes.length);
    for (const s of signatures) size += s.length + 1 + varintSize(s.length);
    return size + RESULT_SIZE_IN_TX;
  }

  private validate(id: string, rawBytes: Buffer, raw: RawTransaction, signatures: Buffer[]): void {
    if (this.has(id)) throw new ChainError('DUP_TRANSACTION_ERROR', 'dup transaction');
    const head = this.head;
    const slot = raw.refBlockBytes.toString('hex');
    if (raw.refBlockBytes.length !== 2 || this.recentBlocks.get(slot) !== raw.refBlockHash.toString('hex')) {
      throw new ChainError('TAPOS_ERROR', 'Tapos check error');
    }
    if (rawBytes.length > MAX_TX_BYTES)
      throw new ChainError('TOO_BIG_TRANSACTION_ERROR', 'transaction size is too big');
    if (raw.expiration <= head.timestamp || raw.expiration > head.timestamp + MAX_EXPIRATION_MS) {
      throw new ChainError('TRANSACTION_EXPIRATION_ERROR', 'transaction expired');
    }
    const c = raw.contract;
    if (signatures.length === 0)
      throw new ChainError('SIGERROR', 'validate signature error miss sig or contract');
    if (signatures.length > 1 || raw.permissionId !== 0) {
      throw new ChainError(
        'SIGERROR',
        'validate signature error devnet accounts have a single owner key (no multi-sign)',
      );
    }
    const sig = this.verifier.check(rawBytes, id, signatures[0], c.ownerAddress);
    if (!sig.ok) throw new ChainError('SIGERROR', `validate signature error ${sig.message}`);

    const owner = this.accounts.get(c.ownerAddress);
    if (!owner) {
      throw new ChainError(
        'CONTRACT_VALIDATE_ERROR',
        c.type === 'TransferContract'
          ? 'contract validate error : Validate TransferContract error, no OwnerAccount.'
          : `contract validate error : Account[${c.ownerAddress}] not exists`,
      );
    }
    const netBytes = this.netBytes(rawBytes, signatures);
    const freeLeft = this.params.freeNetLimit - this.freeNetUsed(owner);
    const netCost = netBytes <= freeLeft ? 0n : BigInt(netBytes) * this.params.transactionFee;
    if (owner.balance < netCost) throw new ChainError('BANDWITH_ERROR', 'AccountResourceInsufficient error');
    if (c.type === 'TransferContract') {
      if (c.amount <= 0n)
        throw new ChainError(
          'CONTRACT_VALIDATE_ERROR',
          'contract validate error : Amount must be greater than 0.',
        );
      if (c.toAddress === c.ownerAddress) {
        throw new ChainError(
          'CONTRACT_VALIDATE_ERROR',
          'contract validate error : Cannot transfer TRX to yourself.',
        );
      }
      const extra = this.accounts.has(c.toAddress) ? 0n : this.params.createNewAccountFeeInSystemContract;
      if (owner.balance < c.amount + extra + netCost) {
        throw new ChainError(
          'CONTRACT_VALIDATE_ERROR',
          'contract validate error : Validate TransferContract error, balance is not sufficient.',
        );
      }
    } else {
      if (!this.isContract(c.contractAddress)) {
        throw new ChainError(
          'CONTRACT_VALIDATE_ERROR',
          'contract validate error : No contract or not a valid smart contract',
        );
      }
      if (raw.feeLimit < 0n || raw.feeLimit > this.params.maxFeeLimit) {
        throw new ChainError(
          'CONTRACT_VALIDATE_ERROR',
          `contract validate error : feeLimit must be >= 0 and <= ${this.params.maxFeeLimit.toString()}`,
        );
      }
    }
  }

  // ─── block production ─────────────────────────────────────────────────────────────────────────

  /** Produces one block holding every pending transaction, executed in arrival order. */
  produceBlock(): BlockRecord {
    const timestamp = Math.max(this.now(), this.head.timestamp + 1);
    const number = this.head.number + 1;
    const history = this.balanceHistory.get(number) ?? new Map<string, bigint | null>();
    this.balanceHistory.set(number, history);
    const included: string[] = [];
    const pending = this.pending;
    this.pending = [];
    this.pendingIds.clear();
    for (const tx of pending) {
      const info = this.execute(tx, timestamp, history);
      if (!info) continue;
      included.push(tx.id);
      const rec: TxRecord = {
        id: tx.id,
        rawBytes: tx.rawBytes,
        raw: tx.raw,
        signatures: tx.signatures,
        blockNumber: number,
        blockTimestamp: timestamp,
        info,
      };
      this.txs.set(tx.id, rec);
      this.indexLogs(rec);
    }
    const block = this.appendBlock(included, timestamp);
    for (const n of this.balanceHistory.keys()) if (n <= this.solidHeadNumber) this.balanceHistory.delete(n);
    this.emit('block', block);
    return block;
  }

  private appendBlock(txIds: string[], timestamp: number): BlockRecord {
    const number = this.blocks.length;
    const parentHash = number === 0 ? '0'.repeat(64) : this.head.id;
    const txTrieRoot = txIds.length
      ? sha256(...txIds.map((t) => Buffer.from(t, 'hex'))).toString('hex')
      : '0'.repeat(64);
    const header = sha256(`${number}/${parentHash}/${timestamp}/${txTrieRoot}/${this.witness.address}`);
    const numBytes = Buffer.alloc(8);
    numBytes.writeBigUInt64BE(BigInt(number));
    const id = numBytes.toString('hex') + header.subarray(8).toString('hex');
    const block: BlockRecord = {
      number,
      id,
      parentHash,
      timestamp,
      txTrieRoot,
      witness: this.witness.address,
      witnessSignature: signDigest(this.witness.privateKey, header.toString('hex')),
      txIds,
    };
    this.blocks.push(block);
    this.recentBlocks.set(id.slice(12, 16), id.slice(16, 32));
    return block;
  }

  private touch(history: Map<string, bigint | null>, address: string): void {
    if (!history.has(address)) history.set(address, this.accounts.get(address)?.balance ?? null);
  }

  /** Executes one transaction into the block being produced; undefined drops it (no longer valid). */
  private execute(tx: PendingTx, timestamp: number, history: Map<string, bigint | null>): TxInfo | undefined {
    const c = tx.raw.contract;
    const owner = this.accounts.get(c.ownerAddress);
    if (!owner || tx.raw.expiration <= this.head.timestamp) return undefined;
    // bandwidth: the free daily allowance first, then burned TRX
    const used = this.freeNetUsed(owner, timestamp);
    let netUsage = 0;
    let netFee = 0n;
    if (used + tx.netBytes <= this.params.freeNetLimit) netUsage = tx.netBytes;
    else netFee = BigInt(tx.netBytes) * this.params.transactionFee;

    if (c.type === 'TransferContract') {
      const exists = this.accounts.has(c.toAddress);
      const createFee = exists
        ? 0n
        : this.params.createNewAccountFeeInSystemContract + this.params.createAccountFee;
      // creating an account replaces the ordinary bandwidth charge
      if (!exists) {
        netUsage = 0;
        netFee = 0n;
      }
      if (owner.balance < c.amount + netFee + createFee) return undefined;
      this.touch(history, owner.address);
      this.touch(history, c.toAddress);
      this.chargeNet(owner, netUsage, netFee, used, timestamp);
      owner.balance -= c.amount + createFee;
      const to = this.accounts.get(c.toAddress) ?? this.newAccount(c.toAddress, 0n, timestamp);
      to.balance += c.amount;
      this.accounts.set(to.address, to);
      return {
        fee: netFee + createFee,
        energyUsageTotal: 0,
        energyFee: 0n,
        netUsage,
        netFee,
        result: 'SUCCESS',
        logs: [],
      };
    }

    if (owner.balance < netFee) return undefined;
    this.touch(history, owner.address);
    this.chargeNet(owner, netUsage, netFee, used, timestamp);
    const outcome = this.usdt.call(owner.address, c.data, c.callValue);
    const price = this.params.energyFee;
    const spendable = owner.balance < tx.raw.feeLimit ? owner.balance : tx.raw.feeLimit;
    const energyLimit = spendable > 0n ? Number(spendable / price) : 0;
    const info: TxInfo = {
      fee: netFee,
      energyUsageTotal: 0,
      energyFee: 0n,
      netUsage,
      netFee,
      result: outcome.status,
      contractResult: outcome.output,
      contractAddress: c.contractAddress,
      logs: [],
    };
    if (outcome.energy > energyLimit) {
      info.result = 'OUT_OF_ENERGY';
      info.energyUsageTotal = energyLimit;
      info.contractResult = '';
      info.resMessage = `Not enough energy for 'SSTORE' operation executing: curInvokeEnergyLimit[${energyLimit}], curOpEnergy[20000], usedEnergy[${Math.max(0, energyLimit - 20000)}]`;
    } else {
      info.energyUsageTotal = outcome.energy;
      if (outcome.status === 'SUCCESS') {
        outcome.commit();
        info.logs = outcome.logs;
      } else {
        info.resMessage = REVERT_MESSAGE;
      }
    }
    info.energyFee = BigInt(info.energyUsageTotal) * price;
    owner.balance -= info.energyFee;
    info.fee = netFee + info.energyFee;
    owner.latestOperationTime = timestamp;
    return info;
  }

  private chargeNet(
    owner: Account,
    netUsage: number,
    netFee: bigint,
    usedBefore: number,
    timestamp: number,
  ): void {
    if (netUsage > 0) {
      owner.freeNetUsage = usedBefore + netUsage;
      owner.latestConsumeFreeTime = timestamp;
    }
    owner.balance -= netFee;
    owner.latestOperationTime = timestamp;
  }

  private indexLogs(rec: TxRecord): void {
    rec.info.logs.forEach((log, i) => {
      const index = this.events.length;
      this.events.push({
        txId: rec.id,
        blockNumber: rec.blockNumber,
        blockTimestamp: rec.blockTimestamp,
        eventIndex: i,
        log,
      });
      if (log.event.name === 'Transfer' || log.event.name === 'Approval') {
        const parties = new Set(
          log.event.args.filter((a) => a.type === 'address').map((a) => a.value as string),
        );
        for (const p of parties) {
          let list = this.trc20Index.get(p);
          if (!list) {
            list = [];
            this.trc20Index.set(p, list);
          }
          list.push(index);
        }
      }
    });
  }

  // ─── devnet control ───────────────────────────────────────────────────────────────────────────

  /** Credits TRX (creating the account if needed) and/or USDT. A state edit, not a transaction. */
  fund(address: string, trxSun: bigint, usdtRaw: bigint): void {
    if (trxSun > 0n) {
      // recorded against the next block so /walletsolidity sees the credit only once it is solidified
      const next = this.head.number + 1;
      const history = this.balanceHistory.get(next) ?? new Map<string, bigint | null>();
      this.balanceHistory.set(next, history);
      this.touch(history, address);
      const acc = this.accounts.get(address) ?? this.newAccount(address, 0n, this.head.timestamp);
      acc.balance += trxSun;
      this.accounts.set(address, acc);
    }
    if (usdtRaw > 0n) this.usdt.mint(address, usdtRaw);
  }

  // ─── persistence ──────────────────────────────────────────────────────────────────────────────

  restoreFrom(state: {
    accounts: Account[];
    usdt: UsdtContract;
    blocks: BlockRecord[];
    txs: TxRecord[];
    pending: PendingTx[];
    otherContracts?: Array<[string, OtherContract]>;
  }): void {
    this.accounts.clear();
    this.otherContracts.clear();
    for (const [address, contract] of state.otherContracts ?? []) this.otherContracts.set(address, contract);
    for (const a of state.accounts) this.accounts.set(a.address, a);
    this.usdt = state.usdt;
    this.blocks.length = 0;
    this.recentBlocks.clear();
    for (const b of state.blocks) {
      this.blocks.push(b);
      this.recentBlocks.set(b.id.slice(12, 16), b.id.slice(16, 32));
    }
    this.txs.clear();
    this.events.length = 0;
    this.trc20Index.clear();
    const byId = new Map(state.txs.map((t) => [t.id, t]));
    for (const b of this.blocks) {
      for (const id of b.txIds) {
        const rec = byId.get(id);
        if (!rec) continue;
        this.txs.set(id, rec);
        this.indexLogs(rec);
      }
    }
    this.pending = state.pending;
    this.pendingIds.clear();
    for (const p of this.pending) this.pendingIds.add(p.id);
  }
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}
