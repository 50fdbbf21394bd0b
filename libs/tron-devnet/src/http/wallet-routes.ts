import { selectorOf } from '../codec/abi';
import { tryToHexAddress } from '../codec/address';
import { hexToBytes, utf8ToHex } from '../codec/hex';
import { packTransaction, PackedTransaction } from '../codec/pack-transaction';
import {
  decodeRawTransaction,
  decodeSignedTransaction,
  RawTransaction,
  rawTransactionFromJson,
  encodeRawTransaction,
  TransactionFormatError,
} from '../codec/transaction';
import { validateAddress } from '../codec/validate-address';
import { Chain } from '../chain/chain';
import { estimatedEnergy } from '../chain/estimate-energy';
import { approvedList, signWeight } from '../chain/permissions';
import { BroadcastResult } from '../chain/types';
import { FaultInjector } from '../faults';
import {
  accountJson,
  accountResourceJson,
  approvedListJson,
  blockJson,
  contractJson,
  infoJson,
  Json,
  multicallContractJson,
  otherContractJson,
  recordJson,
  signWeightJson,
  transactionJson,
} from './format';
import { flag, Params, RequestContext, RouteResult, Router } from './router';

const ANY = ['GET', 'POST'];
const ZERO_ADDRESS = '41' + '0'.repeat(40);

function ok(body: unknown): RouteResult {
  return { body };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function int(v: unknown, fallback = 0): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return fallback;
}

function big(v: unknown): bigint {
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  return 0n;
}

function javaError(kind: string, message: string): RouteResult {
  return ok({ Error: `class org.tron.core.exception.${kind} : ${message}` });
}

/** The TriggerSmartContract value from java-tron's request fields (function_selector + parameter, or data). */
function triggerData(p: Params): Buffer | undefined {
  try {
    if (typeof p.function_selector === 'string' && p.function_selector.length) {
      const selector = selectorOf(p.function_selector.replace(/\s+/g, ''));
      const parameter = typeof p.parameter === 'string' ? p.parameter : '';
      return hexToBytes(selector + parameter);
    }
    if (typeof p.data === 'string') return hexToBytes(p.data);
    return Buffer.alloc(0);
  } catch {
    return undefined;
  }
}

function validateError(message: string): RouteResult {
  return ok({
    result: { code: 'CONTRACT_VALIDATE_ERROR', message: utf8ToHex(`contract validate error : ${message}`) },
  });
}

/** A constant-call servlet's answer for an exception it catches as any other: OTHER_ERROR with its class. */
function otherError(exceptionClass: string, message: string): RouteResult {
  return ok({ result: { code: 'OTHER_ERROR', message: utf8ToHex(`class ${exceptionClass} : ${message}`) } });
}

/** fastjson's getString: a member as text (numbers and booleans too), undefined when absent or null. */
function jsonString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** java-tron's Util.getVisiblePost: the body's `visible` member read with Boolean.parseBoolean. */
function postVisible(body: unknown): boolean {
  const v = body && typeof body === 'object' ? (body as Json).visible : undefined;
  return jsonString(v)?.toLowerCase() === 'true';
}

/**
 * java-tron's Util.validateParameter, which its constant-call servlets run before anything else: the message
 * of the InvalidParameterException it throws, or undefined.
 */
function invalidCallParameter(p: Params): string | undefined {
  const set = (v: unknown): boolean => (jsonString(v) ?? '') !== '';
  if (!set(p.owner_address)) return "owner_address isn't set.";
  if (!set(p.contract_address)) {
    if (!set(p.data)) return 'At least one of contract_address and data must be set.';
    if (set(p.function_selector)) {
      return 'While trying to deploy, function_selector and data can not be both set.';
    }
  }
  return undefined;
}

export function registerWalletRoutes(
  router: Router,
  chain: Chain,
  faults: FaultInjector,
  fullHostPort: () => number,
): void {
  const visibleOf = (p: Params): boolean => flag(p.visible);

  const blockByNum = (num: number, max: number): Json | undefined =>
    num >= 0 && num <= max ? (chain.blocks[num] as unknown as Json) : undefined;

  // ── blocks ──
  for (const solidity of [false, true]) {
    const prefix = solidity ? '/walletsolidity' : '/wallet';
    const headNum = (): number => (solidity ? chain.solidHeadNumber : chain.head.number);
    router.add(ANY, `${prefix}/getnowblock`, (c) =>
      ok(blockJson(chain, chain.blocks[headNum()], visibleOf(c.params))),
    );
    router.add(ANY, `${prefix}/getblockbynum`, (c) => {
      const b = blockByNum(int(c.params.num, -1), headNum());
      return ok(b ? blockJson(chain, chain.blocks[int(c.params.num)], visibleOf(c.params)) : {});
    });
    router.add(ANY, `${prefix}/getblock`, (c) => {
      const p = c.params;
      const detail = flag(p.detail);
      const idOrNum = p.id_or_num;
      let block = chain.blocks[headNum()];
      if (idOrNum !== undefined && idOrNum !== '') {
        const s = str(idOrNum);
        const found = /^\d+$/.test(s)
          ? chain.blocks[Number(s)]
          : chain.blocks.find((b) => b.id === s.toLowerCase());
        if (!found || found.number > headNum()) return ok({});
        block = found;
      }
      return ok(blockJson(chain, block, visibleOf(p), detail));
    });
    router.add(ANY, `${prefix}/getblockbyid`, (c) => {
      const id = str(c.params.value).toLowerCase();
      const b = chain.blocks.find((x) => x.id === id);
      return ok(b && b.number <= headNum() ? blockJson(chain, b, visibleOf(c.params)) : {});
    });
    router.add(ANY, `${prefix}/getblockbylatestnum`, (c) => {
      const n = Math.min(Math.max(int(c.params.num, 1), 1), 100);
      const top = headNum();
      const from = Math.max(0, top - n + 1);
      return ok({
        block: chain.blocks.slice(from, top + 1).map((b) => blockJson(chain, b, visibleOf(c.params))),
      });
    });
    router.add(ANY, `${prefix}/getblockbylimitnext`, (c) => {
      const start = int(c.params.startNum);
      const end = Math.min(int(c.params.endNum), headNum() + 1, start + 100);
      return ok({
        block: chain.blocks
          .slice(start, Math.max(start, end))
          .map((b) => blockJson(chain, b, visibleOf(c.params))),
      });
    });

    // ── accounts ──
    router.add(ANY, `${prefix}/getaccount`, (c) => {
      const addr = tryToHexAddress(c.params.address);
      if (!addr) return ok({});
      const a = solidity ? chain.getSolidAccount(addr) : chain.getAccount(addr);
      return ok(a ? accountJson(chain, a, visibleOf(c.params)) : {});
    });

    // ── transactions ──
    const txVisible = (id: unknown): ReturnType<typeof chain.txs.get> => {
      const rec = chain.txs.get(str(id).toLowerCase());
      return rec && rec.blockNumber <= headNum() ? rec : undefined;
    };
    router.add(ANY, `${prefix}/gettransactionbyid`, (c) => {
      const rec = txVisible(c.params.value);
      return ok(rec ? recordJson(rec, visibleOf(c.params)) : {});
    });
    router.add(ANY, `${prefix}/gettransactioninfobyid`, (c) => {
      const rec = txVisible(c.params.value);
      return ok(rec ? infoJson(rec, visibleOf(c.params)) : {});
    });
    router.add(ANY, `${prefix}/gettransactioninfobyblocknum`, (c) => {
      const n = int(c.params.num, -1);
      if (n < 0 || n > headNum()) return ok([]);
      const infos = chain.blocks[n].txIds.flatMap((id) => {
        const rec = chain.txs.get(id);
        return rec ? [infoJson(rec, visibleOf(c.params))] : [];
      });
      return ok(infos);
    });
    router.add(ANY, `${prefix}/gettransactioncountbyblocknum`, (c) => {
      const n = int(c.params.num, -1);
      return ok(n >= 0 && n <= headNum() ? { count: chain.blocks[n].txIds.length } : {});
    });

    // ── constant calls (state is the head state on both) ──
    router.add(ANY, `${prefix}/triggerconstantcontract`, (c) => constantCall(c, false));
    router.add(ANY, `${prefix}/estimateenergy`, estimateEnergy);
  }

  /** estimateenergy: java-tron's EstimateEnergyServlet checks its parameters and the contract first. */
  function estimateEnergy(c: RequestContext): RouteResult {
    const invalid = invalidCallParameter(c.params);
    if (invalid) return otherError('java.security.InvalidParameterException', invalid);
    const contract = tryToHexAddress(c.params.contract_address);
    if (contract && !chain.hasContractCode(contract)) {
      // Wallet.triggerConstantContract's own ContractValidateException, answered without the broadcast prefix
      return ok({
        result: { code: 'CONTRACT_VALIDATE_ERROR', message: utf8ToHex('Smart contract is not exist.') },
      });
    }
    return constantCall(c, true);
  }

  function constantCall(c: RequestContext, estimate: boolean): RouteResult {
    const p = c.params;
    const visible = visibleOf(p);
    const contract = tryToHexAddress(p.contract_address);
    const owner =
      p.owner_address === undefined || p.owner_address === ''
        ? ZERO_ADDRESS
        : tryToHexAddress(p.owner_address);
    const data = triggerData(p);
    if (!owner || !data) return validateError('Invalid address or data');
    // USDT and the multicall answer constant calls; any other address is refused below
    if (!contract) return validateError('No contract or not a valid smart contract');
    const callValue = big(p.call_value);
    const outcome = chain.constantCall(owner, contract, data, callValue);
    if (!outcome) return validateError('No contract or not a valid smart contract');
    const reverted = outcome.status !== 'SUCCESS';
    if (estimate) {
      if (reverted) {
        return ok({ result: { code: 'CONTRACT_EXE_ERROR', message: utf8ToHex('REVERT opcode executed') } });
      }
      const { energyFee, maxFeeLimit } = chain.params;
      return ok({
        result: { result: true },
        energy_required: estimatedEnergy(outcome.energy, energyFee, maxFeeLimit),
      });
    }
    const built = chain.buildTransaction(
      {
        type: 'TriggerSmartContract',
        ownerAddress: owner,
        contractAddress: contract,
        callValue,
        data,
        callTokenValue: 0n,
        tokenId: 0n,
      },
      0n,
    );
    const tx = transactionJson(built, visible);
    tx.ret = [reverted ? { ret: 'FAILED' } : {}];
    const result: Json = reverted
      ? { result: true, message: utf8ToHex('REVERT opcode executed') }
      : { result: true };
    const body: Json = { result, energy_used: outcome.energy, constant_result: [outcome.output] };
    if (outcome.logs.length && !reverted) {
      body.logs = outcome.logs.map((l) => ({
        address: l.address.slice(2),
        topics: l.topics,
        ...(l.data ? { data: l.data } : {}),
      }));
    }
    body.transaction = tx;
    return ok(body);
  }

  // ── full node only ──
  // A transaction runs on USDT only: the multicall (constant calls only) and code-only contracts are refused.
  router.add(ANY, '/wallet/triggersmartcontract', (c) => {
    const p = c.params;
    const owner = tryToHexAddress(p.owner_address);
    const contract = tryToHexAddress(p.contract_address);
    const data = triggerData(p);
    if (!owner) return validateError('Invalid ownerAddress');
    if (!data) return validateError('Invalid data');
    if (!contract || !chain.isContract(contract))
      return validateError('No contract or not a valid smart contract');
    const feeLimit = big(p.fee_limit);
    if (feeLimit > chain.params.maxFeeLimit) {
      return validateError(`feeLimit must be >= 0 and <= ${chain.params.maxFeeLimit.toString()}`);
    }
    const built = chain.buildTransaction(
      {
        type: 'TriggerSmartContract',
        ownerAddress: owner,
        contractAddress: contract,
        callValue: big(p.call_value),
        data,
        callTokenValue: big(p.call_token_value),
        tokenId: big(p.token_id),
      },
      feeLimit,
      int(p.Permission_id),
    );
    return ok({ result: { result: true }, transaction: transactionJson(built, visibleOf(p)) });
  });

  router.add(ANY, '/wallet/createtransaction', (c) => {
    const p = c.params;
    const owner = tryToHexAddress(p.owner_address);
    const to = tryToHexAddress(p.to_address);
    const amount = big(p.amount);
    if (!owner) return javaError('ContractValidateException', 'Invalid ownerAddress!');
    if (!to) return javaError('ContractValidateException', 'Invalid toAddress!');
    if (owner === to) return javaError('ContractValidateException', 'Cannot transfer TRX to yourself.');
    if (amount <= 0n) return javaError('ContractValidateException', 'Amount must be greater than 0.');
    const acc = chain.getAccount(owner);
    if (!acc)
      return javaError('ContractValidateException', 'Validate TransferContract error, no OwnerAccount.');
    if (acc.balance < amount) {
      return javaError(
        'ContractValidateException',
        'Validate TransferContract error, balance is not sufficient.',
      );
    }
    const built = chain.buildTransaction(
      { type: 'TransferContract', ownerAddress: owner, toAddress: to, amount },
      0n,
      int(p.Permission_id),
    );
    return ok(transactionJson(built, visibleOf(p)));
  });

  const broadcastWith = (
    rawBytes: Buffer,
    raw: RawTransaction,
    sigs: Buffer[],
  ): { result: BroadcastResult; drop: boolean } => {
    const fault = faults.takeBroadcastFault();
    if (fault?.mode === 'error') {
      const txid = chain.buildTxId(rawBytes);
      return {
        result: {
          code: (fault.code ?? 'SERVER_BUSY') as 'SERVER_BUSY',
          txid,
          message: utf8ToHex(fault.message ?? 'devnet injected fault'),
        },
        drop: false,
      };
    }
    return { result: chain.broadcast(rawBytes, raw, sigs), drop: fault?.mode === 'drop-response' };
  };

  const renderBroadcast = (r: BroadcastResult): Json =>
    'result' in r
      ? { result: true, txid: r.txid }
      : { code: r.code, txid: r.txid, message: utf8ToHex(r.message) };

  router.add(['POST'], '/wallet/broadcasttransaction', (c) => {
    const body = c.body as Json;
    let rawBytes: Buffer;
    let raw: RawTransaction;
    try {
      if (body && typeof body === 'object' && body.raw_data) {
        raw = rawTransactionFromJson(body.raw_data);
        rawBytes = encodeRawTransaction(raw);
      } else if (body && typeof body.raw_data_hex === 'string') {
        rawBytes = hexToBytes(body.raw_data_hex);
        raw = decodeRawTransaction(rawBytes);
      } else {
        return ok({ Error: 'class java.lang.NullPointerException : raw_data is required' });
      }
    } catch (e) {
      const message = e instanceof TransactionFormatError || e instanceof TypeError ? e.message : String(e);
      return ok({ Error: `class org.tron.core.exception.BadItemException : ${message}` });
    }
    const sigs = Array.isArray(body.signature) ? body.signature.map((s) => hexToBytesSafe(s)) : [];
    const { result, drop } = broadcastWith(rawBytes, raw, sigs);
    return { body: renderBroadcast(result), dropResponse: drop };
  });

  router.add(['POST'], '/wallet/broadcasthex', (c) => {
    const hex = (c.body as Json)?.transaction;
    let decoded;
    try {
      decoded = decodeSignedTransaction(hexToBytes(str(hex)));
    } catch (e) {
      return ok({
        result: false,
        code: 'OTHER_ERROR',
        message: utf8ToHex(`other error : ${e instanceof Error ? e.message : ''}`),
      });
    }
    const { result, drop } = broadcastWith(decoded.rawBytes, decoded.raw, decoded.signatures);
    const txJson = transactionJson({ id: result.txid, ...decoded }, false);
    const body: Json =
      'result' in result
        ? { result: true, code: 'SUCCESS', txid: result.txid, transaction: JSON.stringify(txJson) }
        : {
            result: false,
            code: result.code,
            txid: result.txid,
            message: utf8ToHex(result.message),
            transaction: JSON.stringify(txJson),
          };
    return { body, dropResponse: drop };
  });

  // ── signature queries: java-tron answers them on POST only (its doGet is empty) ──
  const hasAccount = (address: string): boolean => chain.getAccount(address) !== undefined;
  const signatureQuery =
    (answer: (tx: PackedTransaction, visible: boolean) => Json) =>
    (c: RequestContext): RouteResult => {
      const visible = postVisible(c.body);
      const tx = packTransaction(c.body, visible);
      // java-tron is left without a transaction and dereferences it
      return ok(tx ? answer(tx, visible) : { Error: 'class java.lang.NullPointerException : null' });
    };
  router.add(
    ['POST'],
    '/wallet/getsignweight',
    signatureQuery((tx, visible) => signWeightJson(signWeight(tx, hasAccount), tx, visible)),
  );
  router.add(
    ['POST'],
    '/wallet/getapprovedlist',
    signatureQuery((tx, visible) => approvedListJson(approvedList(tx, hasAccount), tx, visible)),
  );
  // GET reads the query string, POST the JSON body only
  router.add(['GET'], '/wallet/validateaddress', (c) =>
    ok(validateAddress(c.query.get('address') ?? undefined)),
  );
  router.add(['POST'], '/wallet/validateaddress', (c) =>
    ok(validateAddress(jsonString((c.body as Json | undefined)?.address))),
  );

  router.add(ANY, '/wallet/getaccountresource', (c) => {
    const addr = tryToHexAddress(c.params.address);
    const a = addr ? chain.getAccount(addr) : undefined;
    return ok(a ? accountResourceJson(chain, a) : {});
  });
  router.add(ANY, '/wallet/getaccountnet', (c) => {
    const addr = tryToHexAddress(c.params.address);
    const a = addr ? chain.getAccount(addr) : undefined;
    if (!a) return ok({});
    const r = accountResourceJson(chain, a);
    return ok({
      freeNetUsed: r.freeNetUsed,
      freeNetLimit: r.freeNetLimit,
      TotalNetLimit: r.TotalNetLimit,
      TotalNetWeight: r.TotalNetWeight,
    });
  });
  router.add(ANY, '/wallet/getchainparameters', () => {
    const p = chain.params;
    const list: Array<[string, bigint | number]> = [
      ['getMaintenanceTimeInterval', 21_600_000],
      ['getAccountUpgradeCost', 9_999_000_000],
      ['getCreateAccountFee', p.createAccountFee],
      ['getTransactionFee', p.transactionFee],
      ['getAssetIssueFee', 1_024_000_000],
      ['getWitnessPayPerBlock', 16_000_000],
      ['getWitnessStandbyAllowance', 115_200_000_000],
      ['getCreateNewAccountFeeInSystemContract', p.createNewAccountFeeInSystemContract],
      ['getCreateNewAccountBandwidthRate', 1],
      ['getAllowCreationOfContracts', 1],
      ['getEnergyFee', p.energyFee],
      ['getFreeNetLimit', p.freeNetLimit],
      ['getTotalEnergyLimit', 180_000_000_000],
      ['getAllowTvmTransferTrc10', 1],
      ['getAllowTvmConstantinople', 1],
      ['getAllowTvmSolidity059', 1],
      ['getMaxFeeLimit', p.maxFeeLimit],
      ['getAllowDynamicEnergy', 0],
      ['getDynamicEnergyMaxFactor', 0],
    ];
    return ok({ chainParameter: list.map(([key, value]) => (value ? { key, value } : { key })) });
  });
  /** The SmartContract at `addr` as java-tron shows it, or undefined for an address without code. */
  const smartContract = (addr: string | undefined, visible: boolean): Json | undefined => {
    if (!addr) return undefined;
    if (chain.isContract(addr)) return contractJson(chain, visible);
    if (addr === chain.multicall.address) return multicallContractJson(chain, visible);
    const other = chain.otherContracts.get(addr);
    return other ? otherContractJson(addr, other, visible) : undefined;
  };
  router.add(ANY, '/wallet/getcontract', (c) => {
    return ok(smartContract(tryToHexAddress(c.params.value), visibleOf(c.params)) ?? {});
  });
  router.add(ANY, '/wallet/getcontractinfo', (c) => {
    const contract = smartContract(tryToHexAddress(c.params.value), visibleOf(c.params));
    if (!contract) return ok({});
    return ok({
      runtimecode: '6080604052600436106100',
      smart_contract: contract,
      contract_state: { energy_factor: 0, update_cycle: Math.floor(chain.head.timestamp / 21_600_000) },
    });
  });
  router.add(ANY, '/wallet/getnodeinfo', () => {
    const head = chain.head;
    const solid = chain.blocks[chain.solidHeadNumber];
    return ok({
      beginSyncNum: head.number,
      block: `Num:${head.number},ID:${head.id}`,
      solidityBlock: `Num:${solid.number},ID:${solid.id}`,
      currentConnectCount: 0,
      activeConnectCount: 0,
      passiveConnectCount: 0,
      totalFlow: 0,
      peerInfoList: [],
      configNodeInfo: {
        codeVersion: 'devnet',
        p2pVersion: 'devnet',
        listenPort: fullHostPort(),
        discoverEnable: false,
        activeNodeSize: 0,
        passiveNodeSize: 0,
        sendNodeSize: 0,
        maxConnectCount: 0,
        sameIpMaxConnectCount: 0,
        backupListenPort: 0,
        backupMemberSize: 0,
        backupPriority: 0,
        dbVersion: 2,
        minParticipationRate: 0,
        supportConstant: true,
        minTimeRatio: 0,
        maxTimeRatio: 0,
        allowCreationOfContracts: 1,
        allowAdaptiveEnergy: 0,
      },
      machineInfo: { threadCount: 1, cpuCount: 2, javaVersion: 'node ' + process.version },
      cheatWitnessInfoMap: {},
    });
  });
  router.add(ANY, '/wallet/getbandwidthprices', () =>
    ok({ prices: `0:${chain.params.transactionFee.toString()}` }),
  );
  router.add(ANY, '/wallet/getenergyprices', () => ok({ prices: `0:${chain.params.energyFee.toString()}` }));
}

function hexToBytesSafe(v: unknown): Buffer {
  try {
    return typeof v === 'string' ? hexToBytes(v) : Buffer.alloc(0);
  } catch {
    return Buffer.alloc(0);
  }
}
