import { Injectable, Logger } from '@nestjs/common';

import { AppError, ErrorCode, formatUsdtAmount } from '@app/common';
import { ChainFollower, EnergyEstimate, TronClient, UnsignedTransaction } from '@app/tron';
import { WalletSigner } from '@app/wallets';

import { ProblemRecord, Transfer } from '../domain/transfer';
import { TransferTransitions } from '../persistence/transfer-transitions';
import { PendingOutflow } from '../persistence/transfer.repository';
import { OutgoingGate, TransferPolicy } from '../policy/transfer-policy';
import { BroadcastSigned } from './broadcast-signed';
import { DisabledWalletsHint } from './disabled-wallets-hint';
import { InFlightOutflow, OutflowView } from './in-flight-outflow';
import { PipelineContext, problemOf } from './pipeline-context';
import { waitOutcome } from './wait-limit';
import { WalletBalances, WalletFunds } from './wallet-funds';
import { WatchedTransactions } from './watched-transactions';

/** A head older than this is not used as a transaction's reference block (java-tron allows 65,536 blocks). */
const FRESH_HEAD_MS = 10_000;

type Readiness =
  | { ready: true; energy: bigint; feeSun: bigint }
  | { ready: false; wait?: ProblemRecord; fail?: ProblemRecord };

/**
 * approved -> signed -> broadcast. Checks that the hot wallet can pay (USDT for the amount, TRX for the
 * estimated fee) and waits, not fails, when it cannot; builds the TRC-20 call right before signing (TRON
 * transactions expire after about a minute); stores the signed transaction *before* the first broadcast.
 * Every loop of the instance may sign for the same wallet at once: the funds a payout needs are held in the
 * same synchronous step that decides it can pay (InFlightOutflow).
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
    private readonly inFlight: InFlightOutflow,
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

    // The funds are held from here until the signed transfer is stored (then the database counts them) or
    // nothing was stored.
    let stored: Transfer | null;
    try {
      stored = await this.storeSigned(transfer, readiness);
    } catch (err) {
      // The store may have been written even so (an answer lost on the way back): counted as stored, the
      // funds stay held for every check whose read was sent before now.
      this.inFlight.stored(transfer.id);
      throw err;
    }
    if (!stored) {
      this.inFlight.drop(transfer.id);
      // Our lease was lost (or the transfer was cancelled) before the signed bytes were stored: they were
      // never sent anywhere, so dropping them is safe and nothing can be paid twice.
      this.logger.warn(
        { transferId: transfer.id },
        'lease lost before storing the signed transaction; discarded',
      );
      return undefined;
    }
    this.inFlight.stored(transfer.id);
    this.watched.watch(stored);
    return stored;
  }

  private async storeSigned(
    transfer: Transfer,
    readiness: Extract<Readiness, { ready: true }>,
  ): Promise<Transfer | null> {
    const { workerId, settings } = this.context;
    const unsigned = await this.build(transfer);
    await this.gate.assertOpen();
    const signed = await this.signer.sign(transfer.wallet, unsigned);
    const tx = {
      txid: signed.txID,
      signedJson: JSON.stringify(signed),
      expiration: unsigned.expiration,
      signedAt: new Date(),
      feeLimitSun: settings.feeLimitSun,
    };
    return this.transitions.markSigned(transfer, workerId, tx, readiness);
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
   * Whether the wallet can pay this transfer now; when it can, its amount and fee are held (InFlightOutflow)
   * in the same synchronous step. Balances and, for transfers, the worst-case fee come from reads shared by
   * every payout of the block (WalletFunds); what is already signed and not yet executed is taken off first,
   * fees included, so payouts signed within one block cannot together spend more than the wallet holds. Only
   * an approve, or a wallet whose worst-case dry run reverts, gets a dry run of its own (which also says why
   * it would revert).
   */
  private async checkReadiness(transfer: Transfer): Promise<Readiness> {
    const outflow = this.inFlight.begin(transfer.wallet);
    let view: OutflowView | undefined;
    try {
      const [funds, worstCase] = await Promise.all([
        this.funds.balancesOf(transfer.wallet),
        transfer.kind === 'transfer' ? this.funds.worstCaseTransferFee(transfer.wallet) : undefined,
        outflow.then((opened) => (view = opened)),
      ]);
      return await this.decide(transfer, funds, view!, worstCase);
    } finally {
      // A view that opened after a sibling read failed is ended too, or its holds would be kept for ever.
      (view ?? (await outflow.catch(() => undefined)))?.end();
    }
  }

  private async decide(
    transfer: Transfer,
    funds: WalletBalances,
    outflow: OutflowView,
    worstCase: EnergyEstimate | undefined,
  ): Promise<Readiness> {
    const now = new Date();
    const amount = transfer.kind === 'transfer' ? transfer.amountRaw : 0n;
    // In flight but already in a block the balance read reflects: it is gone from the balance, so it must
    // not be counted a second time (only this instance's own transactions are known here; others count twice,
    // which only ever understates what is free). Taken once: a later block can only add to it, and leaving
    // that out also only understates what is free.
    const gone =
      funds.atBlock === undefined
        ? { usdtRaw: 0n, feeSun: 0n }
        : this.watched.includedBy(transfer.wallet, funds.atBlock);
    const pending = (): PendingOutflow => {
      const unseen = outflow.unseen();
      const atLeastZero = (value: bigint) => (value > 0n ? value : 0n);
      return {
        usdtRaw: atLeastZero(outflow.stored.usdtRaw + unseen.usdtRaw - gone.usdtRaw),
        feeSun: atLeastZero(outflow.stored.feeSun + unseen.feeSun - gone.feeSun),
      };
    };
    const usdtShort = (committed: PendingOutflow): Readiness | undefined => {
      if (transfer.kind !== 'transfer' || funds.usdtRaw - committed.usdtRaw >= amount) return undefined;
      const message =
        `hot wallet holds ${formatUsdtAmount(funds.usdtRaw)} USDT with ${formatUsdtAmount(committed.usdtRaw)} ` +
        `committed to transfers in flight; this transfer needs ${formatUsdtAmount(amount)}`;
      return { ready: false, wait: { code: ErrorCode.INSUFFICIENT_USDT, message, at: now } };
    };
    // Before any dry run: a wallet that cannot pay the amount needs no fee estimate.
    const early = usdtShort(pending());
    if (early) return early;
    const estimate =
      worstCase && !worstCase.reverted
        ? worstCase
        : await this.tron.estimateEnergy({
            from: transfer.wallet,
            method: transfer.kind,
            counterparty: transfer.to,
            amountRaw: transfer.amountRaw,
          });
    if (estimate.reverted) return this.diagnoseRevert(transfer, estimate.message, now);
    if (estimate.feeSun > this.context.settings.feeLimitSun) {
      const message = `estimated fee ${estimate.feeSun} sun exceeds TRANSFER_FEE_LIMIT_SUN ${this.context.settings.feeLimitSun}`;
      return { ready: false, wait: { code: ErrorCode.INSUFFICIENT_FEE_RESOURCES, message, at: now } };
    }
    // From here to the hold nothing awaits: another loop's check cannot decide on the same funds in between.
    const committed = pending();
    const short = usdtShort(committed);
    if (short) return short;
    if (funds.trxSun - committed.feeSun < estimate.feeSun) {
      const message =
        `hot wallet holds ${funds.trxSun} sun of TRX with ${committed.feeSun} committed to fees in flight, ` +
        `the fee needs about ${estimate.feeSun}`;
      return { ready: false, wait: { code: ErrorCode.INSUFFICIENT_FEE_RESOURCES, message, at: now } };
    }
    this.inFlight.hold(transfer.id, transfer.wallet, { usdtRaw: amount, feeSun: estimate.feeSun });
    return { ready: true, energy: estimate.energy, feeSun: estimate.feeSun };
  }

  /** A dry run that reverts says why the real one would: paused waits, blacklisted fails. */
  private async diagnoseRevert(
    transfer: Transfer,
    message: string | undefined,
    at: Date,
  ): Promise<Readiness> {
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
