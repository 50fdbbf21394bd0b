import { Injectable, Logger } from '@nestjs/common';

import { AppError, ErrorCode, formatUsdtAmount } from '@app/common';
import { ChainFollower, EnergyEstimate, TronClient, UnsignedTransaction } from '@app/tron';
import { WalletSigner } from '@app/wallets';

import { ProblemRecord, Transfer } from '../domain/transfer';
import { TransferTransitions } from '../persistence/transfer-transitions';
import { OutflowHold } from '../persistence/wallet-outflow.store';
import { OutgoingGate, TransferPolicy } from '../policy/transfer-policy';
import { BroadcastSigned } from './broadcast-signed';
import { DisabledWalletsHint } from './disabled-wallets-hint';
import { OutflowLedger } from './outflow-ledger';
import { PipelineContext, problemOf } from './pipeline-context';
import { waitOutcome } from './wait-limit';
import { WalletBalances, WalletFunds } from './wallet-funds';
import { WatchedTransactions } from './watched-transactions';

/** A head older than this is not used as a transaction's reference block (java-tron allows 65,536 blocks). */
const FRESH_HEAD_MS = 10_000;

type Readiness =
  | { ready: true; energy: bigint; feeSun: bigint; unsigned: UnsignedTransaction; hold: OutflowHold }
  | { ready: false; wait?: ProblemRecord; fail?: ProblemRecord; recheck?: true };

/** What the fee check found before a transaction is built and its funds held. */
type FeeCheck = { ready: true; energy: bigint; feeSun: bigint } | Extract<Readiness, { ready: false }>;

/**
 * approved -> signed -> broadcast. Checks that the hot wallet can pay (USDT for the amount, TRX for the
 * estimated fee) and waits, not fails, when it cannot; builds the TRC-20 call right before signing (TRON
 * transactions expire after about a minute); stores the signed transaction *before* the first broadcast.
 * Every loop of every instance may sign for the same wallet at once: the funds a payout needs are held in the
 * database in one conditional command before its signature (OutflowLedger).
 */
@Injectable()
export class PrepareAndSign {
  private readonly logger = new Logger(PrepareAndSign.name);

  constructor(
    private readonly transitions: TransferTransitions,
    private readonly tron: TronClient,
    private readonly signer: WalletSigner,
    private readonly gate: OutgoingGate,
    private readonly policy: TransferPolicy,
    private readonly broadcaster: BroadcastSigned,
    private readonly context: PipelineContext,
    private readonly disabledWallets: DisabledWalletsHint,
    private readonly follower: ChainFollower,
    private readonly watched: WatchedTransactions,
    private readonly funds: WalletFunds,
    private readonly ledger: OutflowLedger,
  ) {}

  async run(transfer: Transfer): Promise<void> {
    const { workerId } = this.context;
    try {
      await this.gate.assertOpen();
      const stored = await this.signAndStore(transfer);
      if (stored) await this.broadcaster.run(stored);
    } catch (err) {
      const halted = this.context.haltedBy(err);
      if (halted) return this.transitions.wait(transfer, workerId, halted, this.context.pollAt());
      const retryAt = this.context.retryAt(transfer.failedAttempts);
      await this.transitions.scheduleRetry(transfer, workerId, problemOf(err), retryAt);
    }
  }

  /** The stored signed transfer, or undefined when it waits, failed, or lost its lease. */
  private async signAndStore(transfer: Transfer): Promise<Transfer | undefined> {
    const { workerId, settings } = this.context;
    // Checked before any node call: a disabled wallet's payouts wait for admins, not for funds. The loops
    // skip its queued transfers from now on, so this answer is given once per transfer, not once per poll.
    // The hint may be a second old and costs no database command per payout; the signer checks the wallet's
    // record (at most WALLET_STATE_MAX_AGE_MS old) and refuses a wallet disabled since the same way
    // (USDT_ERR_504, waiting).
    if ((await this.disabledWallets.addresses()).includes(transfer.wallet)) {
      await this.transitions.wait(
        transfer,
        workerId,
        problemOf(walletDisabled(transfer)),
        this.context.pollAt(),
      );
      return undefined;
    }
    const readiness = await this.checkReadiness(transfer);
    if (!readiness.ready) {
      if (readiness.recheck) {
        await this.transitions.checkAgainAt(transfer, workerId, this.context.pollAt());
        return undefined;
      }
      const outcome = readiness.fail
        ? { fail: readiness.fail }
        : waitOutcome(transfer.waiting, readiness.wait!, settings.maxWaitMs);
      if (outcome.fail) {
        await this.fail(transfer, outcome.fail);
        return undefined;
      }
      const recheckAt = new Date(Date.now() + settings.fundsRecheckMs);
      await this.transitions.wait(transfer, workerId, outcome.wait, recheckAt);
      return undefined;
    }

    // The funds are held from here. They are given back if nothing was stored; a store whose outcome is
    // unknown (an error after the write may have happened) keeps them until its block or its expiry.
    const { hold } = readiness;
    let stored: Transfer | null;
    try {
      stored = await this.storeSigned(transfer, readiness);
    } catch (err) {
      if (!(err instanceof StoreOutcomeUnknown)) await this.ledger.release(transfer.wallet, hold);
      throw err instanceof StoreOutcomeUnknown ? err.original : err;
    }
    if (!stored) {
      await this.ledger.release(transfer.wallet, hold);
      // Our lease was lost (or the transfer was cancelled) before the signed bytes were stored: they were
      // never sent anywhere, so dropping them is safe and nothing can be paid twice.
      this.logger.warn(
        { transferId: transfer.id },
        'lease lost before storing the signed transaction; discarded',
      );
      return undefined;
    }
    this.watched.watch(stored);
    return stored;
  }

  private async storeSigned(
    transfer: Transfer,
    readiness: Extract<Readiness, { ready: true }>,
  ): Promise<Transfer | null> {
    const { workerId, settings } = this.context;
    const { unsigned } = readiness;
    await this.gate.assertOpen();
    const signed = await this.signer.sign(transfer.wallet, unsigned);
    const tx = {
      txid: signed.txID,
      signedJson: JSON.stringify(signed),
      expiration: unsigned.expiration,
      signedAt: new Date(),
      feeLimitSun: settings.feeLimitSun,
    };
    try {
      return await this.transitions.markSigned(transfer, workerId, tx, readiness);
    } catch (err) {
      throw new StoreOutcomeUnknown(err);
    }
  }

  /**
   * Built in process with the follower's recent head as the TAPOS reference: no node call. Before the
   * follower's first read, or when its head is stale (the node stopped answering), the node builds it.
   */
  private async build(transfer: Transfer): Promise<UnsignedTransaction> {
    const request = {
      from: transfer.wallet,
      method: transfer.kind,
      counterparty: transfer.to,
      amountRaw: transfer.amountRaw,
      feeLimitSun: this.context.settings.feeLimitSun,
    };
    const heads = this.follower.latestHeads();
    if (heads && Date.now() - heads.readAt < FRESH_HEAD_MS) {
      return this.tron.buildTrc20CallLocally({ ...request, refBlock: heads.head });
    }
    return this.tron.buildTrc20Call(request);
  }

  /**
   * Whether the wallet can pay this transfer now; when it can, the transaction is built and its amount and
   * worst-case fee are held (OutflowLedger). Balances and, for transfers, the worst-case fee come from reads
   * shared by every payout of the block (WalletFunds). Only an approve, or a wallet whose worst-case dry run
   * reverts, gets a dry run of its own (which also says why it would revert). Balances older than a block
   * whose holds were already given back are read once more at the follower's newer head; without one, the
   * transfer is looked at again at the next poll.
   */
  private async checkReadiness(transfer: Transfer): Promise<Readiness> {
    for (let attempt = 0; ; attempt++) {
      const [funds, worstCase] = await Promise.all([
        this.funds.balancesOf(transfer.wallet),
        transfer.kind === 'transfer' ? this.funds.worstCaseTransferFee(transfer.wallet) : undefined,
      ]);
      const fee = await this.checkFee(transfer, funds, worstCase);
      if (!fee.ready) return fee;
      const unsigned = await this.build(transfer);
      const hold: OutflowHold = {
        transferId: transfer.id,
        txid: unsigned.txID,
        usdtRaw: amountOf(transfer),
        feeSun: fee.feeSun,
        expiresAt: new Date(unsigned.expiration),
      };
      // A direct read (no fresh follower head) shows at least the last head this instance saw.
      const atBlock = funds.atBlock ?? this.follower.latestHeads()?.head.number ?? 0;
      const reservation = await this.ledger.reserve(transfer.wallet, hold, { ...funds, atBlock });
      if (reservation.held) return { ...fee, unsigned, hold };
      if (reservation.reason === 'stale') {
        const head = this.follower.latestHeads()?.head.number ?? 0;
        if (attempt === 0 && head >= reservation.releasedThrough) continue;
        return { ready: false, recheck: true };
      }
      if (reservation.reason === 'full') {
        // Not a shortage of funds: blocks give holds back, unless the chain follower has stopped.
        this.logger.warn(
          { transferId: transfer.id, wallet: transfer.wallet },
          'the hot wallet has as many transactions in flight as it may hold; looked at again next poll',
        );
        return { ready: false, recheck: true };
      }
      return shortOf(transfer, funds, reservation.committed, fee.feeSun);
    }
  }

  /**
   * What needs no hold: a wallet that cannot pay the amount or the fee even with nothing else in flight,
   * and the fee against TRANSFER_FEE_LIMIT_SUN.
   */
  private async checkFee(
    transfer: Transfer,
    funds: WalletBalances,
    worstCase: EnergyEstimate | undefined,
  ): Promise<FeeCheck> {
    const nothing = { usdtRaw: 0n, feeSun: 0n };
    // Before any dry run: a wallet that cannot pay the amount needs no fee estimate.
    if (funds.usdtRaw < amountOf(transfer)) return shortOf(transfer, funds, nothing, 0n);
    const estimate =
      worstCase && !worstCase.reverted
        ? worstCase
        : await this.tron.estimateEnergy({
            from: transfer.wallet,
            method: transfer.kind,
            counterparty: transfer.to,
            amountRaw: transfer.amountRaw,
          });
    if (estimate.reverted) return this.diagnoseRevert(transfer, estimate.message, new Date());
    if (estimate.feeSun > this.context.settings.feeLimitSun) {
      const message = `estimated fee ${estimate.feeSun} sun exceeds TRANSFER_FEE_LIMIT_SUN ${this.context.settings.feeLimitSun}`;
      const at = new Date();
      return { ready: false, wait: { code: ErrorCode.INSUFFICIENT_FEE_RESOURCES, message, at } };
    }
    if (funds.trxSun < estimate.feeSun) return shortOf(transfer, funds, nothing, estimate.feeSun);
    return { ready: true, energy: estimate.energy, feeSun: estimate.feeSun };
  }

  /** A dry run that reverts says why the real one would: paused waits, blacklisted fails. */
  private async diagnoseRevert(
    transfer: Transfer,
    message: string | undefined,
    at: Date,
  ): Promise<Extract<Readiness, { ready: false }>> {
    if (await this.tron.isPaused()) {
      return {
        ready: false,
        wait: { code: ErrorCode.CONTRACT_PAUSED, message: 'the token contract is paused', at },
      };
    }
    if (await this.tron.isBlacklisted(transfer.wallet)) {
      return {
        ready: false,
        fail: {
          code: ErrorCode.ADDRESS_BLACKLISTED,
          message: 'the hot wallet is blacklisted by the token',
          at,
        },
      };
    }
    if (await this.tron.isBlacklisted(transfer.to)) {
      return {
        ready: false,
        fail: {
          code: ErrorCode.ADDRESS_BLACKLISTED,
          message: 'the counterparty is blacklisted by the token',
          at,
        },
      };
    }
    return {
      ready: false,
      fail: {
        code: ErrorCode.CONTRACT_REVERTED,
        message: `dry run reverted: ${message ?? 'no reason given'}`,
        at,
      },
    };
  }

  /** Final failure before signing: nothing was sent, so the limits it reserved are given back. */
  private async fail(transfer: Transfer, failure: ProblemRecord): Promise<void> {
    const failed = await this.transitions.failUnsigned(transfer, this.context.workerId, failure);
    if (failed) await this.policy.released(failed);
  }
}

function walletDisabled(transfer: Transfer): AppError {
  return new AppError(
    ErrorCode.WALLET_DISABLED,
    `hot wallet ${transfer.wallet} is disabled: this transfer waits until two admins enable it (or cancel it)`,
  );
}

/** The USDT a payout moves: nothing for an approve. */
function amountOf(transfer: Transfer): bigint {
  return transfer.kind === 'transfer' ? transfer.amountRaw : 0n;
}

/** Why the wallet cannot pay now, beside what is already `committed` to transactions in flight. */
function shortOf(
  transfer: Transfer,
  funds: WalletBalances,
  committed: { usdtRaw: bigint; feeSun: bigint },
  feeSun: bigint,
): Extract<Readiness, { ready: false }> {
  const at = new Date();
  const amount = amountOf(transfer);
  if (transfer.kind === 'transfer' && funds.usdtRaw - committed.usdtRaw < amount) {
    const message =
      `hot wallet holds ${formatUsdtAmount(funds.usdtRaw)} USDT with ${formatUsdtAmount(committed.usdtRaw)} ` +
      `committed to transfers in flight; this transfer needs ${formatUsdtAmount(amount)}`;
    return { ready: false, wait: { code: ErrorCode.INSUFFICIENT_USDT, message, at } };
  }
  const message =
    `hot wallet holds ${funds.trxSun} sun of TRX with ${committed.feeSun} committed to fees in flight, ` +
    `the fee needs about ${feeSun}`;
  return { ready: false, wait: { code: ErrorCode.INSUFFICIENT_FEE_RESOURCES, message, at } };
}

/** markSigned failed in a way that leaves open whether it was written: its hold must stay. */
class StoreOutcomeUnknown extends Error {
  constructor(readonly original: unknown) {
    super('the signed transfer may or may not be stored');
  }
}
