import { Inject, Injectable, Optional } from '@nestjs/common';
import type { TronWeb } from 'tronweb';

import { AppError, ErrorCode, txIdOf, USDT_DECIMALS } from '@app/common';

import {
  AbiDecodeError,
  decodeBool,
  decodeString,
  decodeUint256,
  encodeAddress,
  encodeUint256,
  functionSelector,
} from '../abi/abi-codec';
import {
  AggregateAnswer,
  AGGREGATE_SIGNATURE,
  decodeAggregate,
  encodeAggregate,
  GET_ETH_BALANCE_SIGNATURE,
  MulticallCall,
} from '../abi/multicall-codec';
import { functionSignature, TetherFunctionName } from '../abi/tether-token.abi';
import { TronNetwork, TronNetworkInfo } from '../network/tron-network';
import { Clock, systemClock } from '../transport/clock';
import { NodeCaller } from '../transport/node-caller';
import { nodeRequest } from '../transport/node-request';
import { toBroadcastOutcome } from './broadcast-outcome';
import { toChainBlock } from './chain-block';
import { buildTriggerLocally, DEFAULT_EXPIRATION_MS } from './local-trc20-call';
import {
  AccountJson,
  BlockListJson,
  BroadcastJson,
  ChainParametersJson,
  ConstantCallJson,
  NodeBlockJson,
  SmartContractJson,
  TransactionInfoJson,
  TransactionJson,
  TronGridTrc20Json,
} from './node-json';
import {
  checkAddress,
  checkTxId,
  constantCallFailure,
  isMissingContract,
  toBlockRef,
  toChainParameters,
} from './node-mappers';
import { normalizeReceipt } from './receipt';
import {
  BlockRef,
  BroadcastOutcome,
  BuildTrc20CallLocallyRequest,
  BuildTrc20CallRequest,
  ChainBlock,
  ChainParameters,
  ContractInfo,
  EnergyEstimate,
  NodeStatus,
  OnChainTransaction,
  SignedTransaction,
  Trc20CallRequest,
  Trc20HistoryPage,
  Trc20HistoryQuery,
  TransactionReceipt,
  UnsignedTransaction,
} from './tron.types';
import { toHistoryPage } from './trc20-history';

export const TRON_NODE_CALLER = Symbol('TRON_NODE_CALLER');
export const TRON_CLOCK = Symbol('TRON_CLOCK');

/** Chain parameters change by committee proposal, a few times a year; ten minutes is fresh enough. */
const CHAIN_PARAMETERS_TTL_MS = 10 * 60_000;
/** Bandwidth of a signed TRC-20 transfer/approve (TRON-NOTES: about 345 bytes), for the worst-case fee. */
const TRC20_CALL_BYTES = 345n;
const MAX_UINT256 = 2n ** 256n - 1n;
/** java-tron's getblockbylimitnext answers at most this many blocks per call. */
const BLOCKS_PER_CALL = 100;
/**
 * Whether an address holds a contract changes only when one is deployed to it (or destroys itself): intake
 * asks for every destination, so answers are kept this long, for at most this many addresses.
 */
const CONTRACT_CHECK_TTL_MS = 10 * 60_000;
const CONTRACT_CHECK_CACHE_SIZE = 10_000;
/**
 * Addresses asked about in one multicall. An `isBlackListed` costs about 2,000 energy inside it; a hundred
 * stay far below the energy a node allows a constant call, and the answer below 10 KB.
 */
const BLACKLIST_CHECKS_PER_MULTICALL = 100;

interface Cached<T> {
  value: T;
  at: number;
}

/**
 * The only code that talks to a TRON node. Every request goes through NodeCaller (rate limit, deadline,
 * retry, failover, metrics); this class knows the endpoints and the shapes. Reads return bigint amounts and
 * base58 addresses. Nothing here signs: transactions leave unsigned and come back signed from libs/wallets.
 */
@Injectable()
export class TronClient {
  private info?: Promise<ContractInfo>;
  private parameters?: Cached<ChainParameters>;
  private readonly contractChecks = new Map<string, Cached<boolean>>();

  constructor(
    @Inject(TRON_NODE_CALLER) private readonly caller: NodeCaller<TronWeb>,
    private readonly tronNetwork: TronNetwork,
    @Optional() @Inject(TRON_CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  private get contract(): string {
    return this.tronNetwork.usdtContract;
  }

  /** Name, symbol, decimals and supply of the USDT contract; read once, then cached (it does not change). */
  contractInfo(): Promise<ContractInfo> {
    this.info ??= this.readContractInfo().catch((err: unknown) => {
      this.info = undefined;
      throw err;
    });
    return this.info;
  }

  private async readContractInfo(): Promise<ContractInfo> {
    const [name, symbol, decimals, totalSupply] = await Promise.all([
      this.view('name', '', decodeString),
      this.view('symbol', '', decodeString),
      this.view('decimals', '', decodeUint256),
      this.view('totalSupply', '', decodeUint256),
    ]);
    // Money handling assumes 6 decimals everywhere; any other value means the wrong contract.
    if (decimals !== BigInt(USDT_DECIMALS)) {
      throw new AppError(
        ErrorCode.CONTRACT_UNAVAILABLE,
        `Contract ${this.contract} has ${decimals} decimals; USDT has ${USDT_DECIMALS}`,
      );
    }
    return { address: this.contract, name, symbol, decimals: USDT_DECIMALS, totalSupplyRaw: totalSupply };
  }

  async usdtBalance(address: string): Promise<bigint> {
    return await this.view('balanceOf', encodeAddress(checkAddress(address)), decodeUint256);
  }

  async allowance(owner: string, spender: string): Promise<bigint> {
    const params =
      encodeAddress(checkAddress(owner, 'owner')) + encodeAddress(checkAddress(spender, 'spender'));
    return await this.view('allowance', params, decodeUint256);
  }

  async isBlacklisted(address: string): Promise<boolean> {
    return await this.view('isBlackListed', encodeAddress(checkAddress(address)), decodeBool);
  }

  /** Whether blacklist checks of many addresses share node calls (a Multicall contract is configured). */
  get batchesBlacklistChecks(): boolean {
    return this.tronNetwork.multicallContract !== undefined;
  }

  /**
   * `isBlacklisted` for each address, in order: through the configured Multicall, a hundred addresses per node
   * call, all answered from one block; without one, one call per address.
   */
  async blacklistedAmong(addresses: readonly string[]): Promise<boolean[]> {
    const multicall = this.tronNetwork.multicallContract;
    if (!multicall) return await Promise.all(addresses.map((address) => this.isBlacklisted(address)));
    const selector = functionSelector(functionSignature('isBlackListed'));
    const chunks: string[][] = [];
    for (let i = 0; i < addresses.length; i += BLACKLIST_CHECKS_PER_MULTICALL) {
      chunks.push(addresses.slice(i, i + BLACKLIST_CHECKS_PER_MULTICALL));
    }
    const answers = await Promise.all(
      chunks.map((chunk) =>
        this.aggregate(
          'isBlackListed',
          multicall,
          chunk.map((address) => ({
            target: this.contract,
            data: selector + encodeAddress(checkAddress(address)),
          })),
        ),
      ),
    );
    try {
      return answers.flatMap(({ returnData }) => returnData).map((output) => decodeBool(output));
    } catch (err) {
      if (err instanceof AbiDecodeError) throw this.contractMissing(err.message, 'isBlackListed');
      throw err;
    }
  }

  isPaused(): Promise<boolean> {
    return this.view('paused', '', decodeBool);
  }

  /**
   * Whether `address` is a contract account (the USDT contract or any smart contract), as the node's
   * `getcontract` says: it answers the SmartContract for a contract and `{}` for anything else.
   */
  async isContract(address: string): Promise<boolean> {
    checkAddress(address);
    if (address === this.contract) return true;
    const now = this.clock.now();
    const cached = this.contractChecks.get(address);
    if (cached && now - cached.at < CONTRACT_CHECK_TTL_MS) return cached.value;
    const found = await this.caller.call('getcontract', (tw) =>
      nodeRequest<SmartContractJson>(tw.fullNode, 'wallet/getcontract', { value: address, visible: true }),
    );
    const value = Boolean(found.contract_address || found.bytecode);
    // Oldest first in a Map: drop the oldest entry when full (a plain bound, not an LRU; misses are cheap).
    if (this.contractChecks.size >= CONTRACT_CHECK_CACHE_SIZE && !this.contractChecks.has(address)) {
      const oldest = this.contractChecks.keys().next().value;
      if (oldest !== undefined) this.contractChecks.delete(oldest);
    }
    this.contractChecks.set(address, { value, at: now });
    return value;
  }

  /** TRX balance in sun; 0 for an account that does not exist yet. */
  async trxBalance(address: string): Promise<bigint> {
    // int64_as_string (java-tron#6699, honoured on GET) keeps balances above 2^53 sun exact; a node that
    // predates it ignores the flag and answers a number, which BigInt reads just the same.
    const account = await this.caller.call('getaccount', (tw) =>
      nodeRequest<AccountJson>(
        tw.fullNode,
        'wallet/getaccount',
        { address: checkAddress(address), visible: true, int64_as_string: true },
        'get',
      ),
    );
    return BigInt(account.balance ?? 0);
  }

  head(): Promise<BlockRef> {
    return this.caller.call('getnowblock', async (tw) =>
      toBlockRef(await nodeRequest<NodeBlockJson>(tw.fullNode, 'wallet/getnowblock')),
    );
  }

  /** The latest irreversible block: transactions at or below it are confirmed. */
  solidifiedHead(): Promise<BlockRef> {
    return this.caller.call('walletsolidity/getnowblock', async (tw) =>
      toBlockRef(await nodeRequest<NodeBlockJson>(tw.solidityNode, 'walletsolidity/getnowblock')),
    );
  }

  async chainParameters(): Promise<ChainParameters> {
    const now = this.clock.now();
    if (this.parameters && now - this.parameters.at < CHAIN_PARAMETERS_TTL_MS) return this.parameters.value;
    const body = await this.caller.call('getchainparameters', (tw) =>
      nodeRequest<ChainParametersJson>(tw.fullNode, 'wallet/getchainparameters'),
    );
    const value = toChainParameters(body);
    this.parameters = { value, at: now };
    return value;
  }

  /**
   * Energy a transfer/approve would use now, by executing it as a constant call from `from`. A call that
   * would revert (paused, blacklisted, insufficient balance) says so instead of throwing.
   */
  async estimateEnergy(request: Trc20CallRequest): Promise<EnergyEstimate> {
    const { from, method, params } = this.callParts(request);
    const [body, fees] = await Promise.all([
      this.caller.call('triggerconstantcontract', (tw) =>
        nodeRequest<ConstantCallJson>(tw.fullNode, 'wallet/triggerconstantcontract', {
          owner_address: from,
          contract_address: this.contract,
          function_selector: functionSignature(method),
          parameter: params,
          visible: true,
        }),
      ),
      this.chainParameters(),
    ]);
    const failed = constantCallFailure(body);
    if (failed !== undefined && isMissingContract(failed)) throw this.contractMissing(failed);
    const energy = BigInt(body.energy_used ?? 0);
    const feeSun = energy * fees.energyFeeSun + TRC20_CALL_BYTES * fees.transactionFeeSunPerByte;
    return failed === undefined
      ? { energy, feeSun, reverted: false }
      : { energy, feeSun, reverted: true, message: failed };
  }

  /**
   * An unsigned transfer/approve built by the node. TronWeb checks that the node's transaction matches the
   * request; the txID is checked against the bytes here as well, since the bytes are what gets signed.
   */
  async buildTrc20Call(request: BuildTrc20CallRequest): Promise<UnsignedTransaction> {
    const { from, method, counterparty } = this.callParts(request);
    const feeLimit = this.checkFeeLimit(request.feeLimitSun);
    let built: Awaited<ReturnType<TronWeb['transactionBuilder']['triggerSmartContract']>>;
    try {
      built = await this.caller.call('triggersmartcontract', (tw) =>
        tw.transactionBuilder.triggerSmartContract(
          this.contract,
          functionSignature(method),
          { feeLimit, callValue: 0 },
          [
            { type: 'address', value: counterparty },
            { type: 'uint256', value: request.amountRaw.toString() },
          ],
          from,
        ),
      );
    } catch (err) {
      throw this.buildError(err);
    }
    const tx = built.transaction;
    if (txIdOf(tx.raw_data_hex) !== tx.txID || tx.raw_data.fee_limit !== feeLimit) {
      throw new AppError(
        ErrorCode.NODE_UNAVAILABLE,
        'The node returned a transaction that does not match the request',
      );
    }
    return {
      txID: tx.txID,
      raw_data: tx.raw_data,
      raw_data_hex: tx.raw_data_hex,
      visible: tx.visible,
      expiration: tx.raw_data.expiration,
      refBlock: { bytes: tx.raw_data.ref_block_bytes, hash: tx.raw_data.ref_block_hash },
    };
  }

  /**
   * The same transfer/approve as buildTrc20Call, serialised here instead of by the node: no node call, so a
   * payout pipeline can build many per second against one recent block. The caller picks the reference block
   * (TAPOS) and so decides how long the transaction can land: expiration = refBlock.timestamp + expirationMs.
   */
  buildTrc20CallLocally(request: BuildTrc20CallLocallyRequest): UnsignedTransaction {
    const { from, method, params } = this.callParts(request);
    const feeLimit = this.checkFeeLimit(request.feeLimitSun);
    return buildTriggerLocally({
      owner: from,
      contract: this.contract,
      data: functionSelector(functionSignature(method)) + params,
      feeLimit,
      refBlock: request.refBlock,
      expirationMs: request.expirationMs ?? DEFAULT_EXPIRATION_MS,
      now: this.clock.now(),
    });
  }

  /**
   * Blocks [fromNumber, toNumberExclusive) with their transactions, oldest first; one getblockbylimitnext
   * call per 100 blocks (java-tron's limit). Blocks beyond the head are simply absent.
   */
  async blockRange(fromNumber: number, toNumberExclusive: number): Promise<ChainBlock[]> {
    if (!Number.isSafeInteger(fromNumber) || !Number.isSafeInteger(toNumberExclusive) || fromNumber < 0) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'block numbers must be non-negative integers');
    }
    const blocks: ChainBlock[] = [];
    for (let start = fromNumber; start < toNumberExclusive; start += BLOCKS_PER_CALL) {
      const end = Math.min(start + BLOCKS_PER_CALL, toNumberExclusive);
      const body = await this.caller.call('getblockbylimitnext', (tw) =>
        nodeRequest<BlockListJson>(tw.fullNode, 'wallet/getblockbylimitnext', {
          startNum: start,
          endNum: end,
          visible: true,
        }),
      );
      const page = (body.block ?? []).map(toChainBlock).filter((b) => b.number >= start && b.number < end);
      blocks.push(...page);
      // A short page means the head was reached: the rest is not there yet.
      if (page.length < end - start) break;
    }
    return blocks.sort((a, b) => a.number - b.number);
  }

  /**
   * Every receipt of one solidified block in one call, normalised like getTransactionInfo's; [] for an empty
   * block or one not solidified yet.
   */
  async solidifiedBlockReceipts(blockNumber: number): Promise<TransactionReceipt[]> {
    if (!Number.isSafeInteger(blockNumber) || blockNumber < 0) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'blockNumber must be a non-negative integer');
    }
    const body = await this.caller.call('walletsolidity/gettransactioninfobyblocknum', (tw) =>
      nodeRequest<TransactionInfoJson[] | Record<string, never>>(
        tw.solidityNode,
        'walletsolidity/gettransactioninfobyblocknum',
        { num: blockNumber },
      ),
    );
    // java-tron answers a JSON array; some proxies turn an empty one into {}.
    const infos = Array.isArray(body) ? body : [];
    return infos.flatMap((info) => {
      const receipt = normalizeReceipt(info);
      return receipt ? [receipt] : [];
    });
  }

  /**
   * Sends signed bytes. Safe to repeat with the same transaction: a node that already has it answers
   * DUP_TRANSACTION_ERROR, reported as accepted. A node that cannot be reached ends in USDT_ERR_400; the
   * caller keeps the signed bytes and sends them again later (never rebuilds while they may still land).
   */
  async broadcast(signed: SignedTransaction): Promise<BroadcastOutcome> {
    if (!Array.isArray(signed.signature) || signed.signature.length === 0) {
      throw new AppError(ErrorCode.SIGNING_FAILED, 'The transaction is not signed');
    }
    if (txIdOf(signed.raw_data_hex) !== signed.txID) {
      throw new AppError(ErrorCode.SIGNING_FAILED, 'The transaction id does not match its bytes');
    }
    // Only the protocol fields: callers may hold extra bookkeeping (expiration, refBlock) on the object.
    const body = {
      txID: signed.txID,
      raw_data: signed.raw_data,
      raw_data_hex: signed.raw_data_hex,
      signature: signed.signature,
      visible: signed.visible ?? false,
    };
    const response = await this.caller.call('broadcasttransaction', (tw) =>
      tw.fullNode.request<BroadcastJson>('wallet/broadcasttransaction', body, 'post'),
    );
    return toBroadcastOutcome(response ?? {}, signed.txID);
  }

  /** The transaction as the full node knows it, or null when it knows nothing of it. */
  async getTransaction(txid: string): Promise<OnChainTransaction | null> {
    const tx = await this.caller.call('gettransactionbyid', (tw) =>
      nodeRequest<TransactionJson>(tw.fullNode, 'wallet/gettransactionbyid', { value: checkTxId(txid) }),
    );
    if (!tx.txID) return null;
    return {
      txid: tx.txID,
      expiration: tx.raw_data?.expiration ?? 0,
      timestamp: tx.raw_data?.timestamp ?? 0,
      ...(tx.ret?.[0]?.contractRet ? { contractRet: tx.ret[0].contractRet } : {}),
      signatures: tx.signature ?? [],
      rawDataHex: tx.raw_data_hex ?? '',
    };
  }

  /** The receipt once the transaction is in a block (not yet irreversible), else null. */
  getTransactionInfo(txid: string): Promise<TransactionReceipt | null> {
    return this.caller.call('gettransactioninfobyid', async (tw) =>
      normalizeReceipt(
        await nodeRequest<TransactionInfoJson>(tw.fullNode, 'wallet/gettransactioninfobyid', {
          value: checkTxId(txid),
        }),
      ),
    );
  }

  /** The receipt once the transaction's block is solidified (irreversible), else null. */
  getSolidifiedTransactionInfo(txid: string): Promise<TransactionReceipt | null> {
    return this.caller.call('walletsolidity/gettransactioninfobyid', async (tw) =>
      normalizeReceipt(
        await nodeRequest<TransactionInfoJson>(tw.solidityNode, 'walletsolidity/gettransactioninfobyid', {
          value: checkTxId(txid),
        }),
      ),
    );
  }

  /** USDT transfers of an address from TronGrid's index (it can lag: our own receipts are the truth). */
  async trc20History(address: string, query: Trc20HistoryQuery): Promise<Trc20HistoryPage> {
    const params: Record<string, unknown> = {
      limit: Math.min(Math.max(Math.trunc(query.limit), 1), 200),
      contract_address: this.contract,
      ...(query.fingerprint ? { fingerprint: query.fingerprint } : {}),
      ...(query.onlyConfirmed ? { only_confirmed: true } : {}),
    };
    const path = `v1/accounts/${checkAddress(address)}/transactions/trc20`;
    return await this.caller.call('v1/accounts/transactions/trc20', async (tw) =>
      toHistoryPage(
        await nodeRequest<TronGridTrc20Json>(tw.eventServer ?? tw.fullNode, path, params, 'get'),
        this.contract,
      ),
    );
  }

  /** One quick look at the node, for health checks: never retries, never throws. */
  async nodeStatus(): Promise<NodeStatus> {
    const host = this.caller.currentHost().label;
    try {
      const head = await this.caller.call(
        'getnowblock',
        async (tw) => toBlockRef(await nodeRequest<NodeBlockJson>(tw.fullNode, 'wallet/getnowblock')),
        { retries: 0 },
      );
      return {
        reachable: true,
        headNumber: head.number,
        headAgeMs: Math.max(0, this.clock.now() - head.timestamp),
        host,
      };
    } catch {
      return { reachable: false, host };
    }
  }

  /** The network for /status: name, hosts (without credentials), the host in use, the USDT contract. */
  network(): TronNetworkInfo & { activeHost: string } {
    return { ...this.tronNetwork.info(), activeHost: this.caller.currentHost().label };
  }

  /** A read-only contract call; a failure or an undecodable answer means the contract is not what we expect. */
  private async view<T>(fn: TetherFunctionName, params: string, decode: (output: string) => T): Promise<T> {
    const body = await this.caller.call(`triggerconstantcontract:${fn}`, (tw) =>
      nodeRequest<ConstantCallJson>(tw.fullNode, 'wallet/triggerconstantcontract', {
        // The contract itself as caller: views do not depend on msg.sender, and some nodes require an owner.
        owner_address: this.contract,
        contract_address: this.contract,
        function_selector: functionSignature(fn),
        parameter: params,
        visible: true,
      }),
    );
    const failed = constantCallFailure(body);
    if (failed !== undefined) throw this.contractMissing(failed, fn);
    try {
      return decode(body.constant_result?.[0] ?? '');
    } catch (err) {
      if (err instanceof AbiDecodeError) throw this.contractMissing(err.message, fn);
      throw err;
    }
  }

  /**
   * An account's USDT and TRX balances and, through the configured Multicall, the block whose state they are
   * (one node call, both from the same block: a node behind the follower's head says so instead of passing
   * older balances off as current). Without a Multicall, two calls and no block.
   */
  async balancesAt(address: string): Promise<{ usdtRaw: bigint; trxSun: bigint; block?: number }> {
    const multicall = this.tronNetwork.multicallContract;
    if (!multicall) {
      const [usdtRaw, trxSun] = await Promise.all([this.usdtBalance(address), this.trxBalance(address)]);
      return { usdtRaw, trxSun };
    }
    const account = encodeAddress(checkAddress(address));
    const { blockNumber, returnData } = await this.aggregate('balances', multicall, [
      { target: this.contract, data: functionSelector(functionSignature('balanceOf')) + account },
      { target: multicall, data: functionSelector(GET_ETH_BALANCE_SIGNATURE) + account },
    ]);
    try {
      return {
        usdtRaw: decodeUint256(returnData[0]),
        trxSun: decodeUint256(returnData[1]),
        block: blockNumber,
      };
    } catch (err) {
      if (err instanceof AbiDecodeError) throw this.contractMissing(err.message, 'balanceOf');
      throw err;
    }
  }

  /**
   * Runs `calls` as one constant call of Multicall's `aggregate`: the block it ran on and each return data.
   * `purpose` names it in the node-call metrics (`triggerconstantcontract:aggregate:<purpose>`).
   */
  private async aggregate(
    purpose: 'isBlackListed' | 'balances',
    multicall: string,
    calls: readonly MulticallCall[],
  ): Promise<AggregateAnswer> {
    const body = await this.caller.call(`triggerconstantcontract:aggregate:${purpose}`, (tw) =>
      nodeRequest<ConstantCallJson>(tw.fullNode, 'wallet/triggerconstantcontract', {
        owner_address: this.contract,
        contract_address: multicall,
        function_selector: AGGREGATE_SIGNATURE,
        parameter: encodeAggregate(calls),
        visible: true,
      }),
    );
    const failed = constantCallFailure(body);
    try {
      if (failed !== undefined) throw new AbiDecodeError(failed);
      return decodeAggregate(body.constant_result?.[0] ?? '', calls.length);
    } catch (err) {
      if (!(err instanceof AbiDecodeError)) throw err;
      throw new AppError(
        ErrorCode.CONTRACT_UNAVAILABLE,
        `Multicall contract ${multicall} (TRON_MULTICALL_ADDRESS) call aggregate() failed: ${err.message}`,
      );
    }
  }

  private callParts(request: Trc20CallRequest) {
    if (request.method !== 'transfer' && request.method !== 'approve') {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'method must be transfer or approve');
    }
    if (request.amountRaw < 0n || request.amountRaw > MAX_UINT256) {
      throw new AppError(ErrorCode.INVALID_AMOUNT, 'amountRaw is out of range');
    }
    const from = checkAddress(request.from, 'from');
    const counterparty = checkAddress(request.counterparty, 'counterparty');
    const params = encodeAddress(counterparty) + encodeUint256(request.amountRaw);
    return { from, method: request.method, counterparty, params };
  }

  private checkFeeLimit(feeLimitSun: bigint): number {
    const feeLimit = Number(feeLimitSun);
    if (feeLimitSun <= 0n || !Number.isSafeInteger(feeLimit)) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'feeLimitSun must be a positive safe integer');
    }
    return feeLimit;
  }

  private contractMissing(reason: string, fn?: string): AppError {
    return new AppError(
      ErrorCode.CONTRACT_UNAVAILABLE,
      `USDT contract ${this.contract}${fn ? ` call ${fn}()` : ''} failed: ${reason}`,
    );
  }

  /** TronWeb raises a node's refusal to build (java-tron `result.message`) as a plain Error. */
  private buildError(err: unknown): unknown {
    if (err instanceof AppError || !(err instanceof Error)) return err;
    if (isMissingContract(err.message)) return this.contractMissing(err.message);
    if (err.message === 'Invalid transaction') {
      return new AppError(
        ErrorCode.NODE_UNAVAILABLE,
        'The node returned a transaction that does not match the request',
      );
    }
    return new AppError(
      ErrorCode.NODE_UNAVAILABLE,
      `The node refused to build the transaction: ${err.message}`,
    );
  }
}
