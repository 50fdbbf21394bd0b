import { Injectable, Logger } from '@nestjs/common';

import { AppError, ErrorCode, forEachIndex, GroupedCalls } from '@app/common';
import type { KycLevel, Policies } from '@app/policies';
import type { LimitReservation } from '@app/transfers';

import { ComplianceDraft } from '../domain/compliance-draft';
import { limitExceeded } from '../domain/limit-breach';
import { destinationWindowKey, SumLimitName, sumCounterPlan } from '../domain/limit-keys';
import { admitToWindow } from '../domain/sliding-window';
import {
  LimitCounterRepository,
  SumReservationRequest,
  SumReservationResult,
} from '../persistence/limit-counter.repository';

/**
 * Compare-and-set rounds on one destination's window before giving up with USDT_ERR_601. Every contender
 * of a round but one retries, so N simultaneous payouts to one address need up to N rounds.
 */
const MAX_WINDOW_ATTEMPTS = 100;
/** Expired counters are deleted at most this often, by whichever instance reserves next. */
const SWEEP_INTERVAL_MS = 10 * 60_000;

const WINDOW_PREFIX = 'destination-window:';
/** Batch drafts whose shares are given back side by side. */
const RELEASES_AT_ONCE = 8;
/** Destination windows remembered at most (the memory is dropped whole when full). */
const KNOWN_WINDOWS_MAX = 10_000;
/** A release marker outlives every counter it guards (a month and its day of grace). */
const RELEASE_MARKER_MS = 40 * 86_400_000;
/** The sum counters every draft of one wallet at one moment draws on, whatever its destination. */
const SHARED_LIMITS: ReadonlySet<SumLimitName> = new Set(['wallet_daily', 'wallet_monthly', 'network_daily']);
const RESERVED: SumReservationResult = { status: 'reserved' };

/**
 * The transaction limits. Plain checks first (single, KYC single), then reservations: each sum counter grows
 * with one conditional atomic update that can never overshoot, and the destination's sliding window is
 * rewritten with compare-and-set. When one reservation fails, those already taken are given back before
 * the error is thrown, so a refused draft holds nothing.
 */
@Injectable()
export class LimitLedger {
  private readonly logger = new Logger('Limits');
  private lastSweep = 0;
  /** Destination windows this instance saw lately, with when they end: those are read before writing. */
  private readonly knownWindows = new Map<string, number>();
  /** Drafts evaluated together reserve their sum counters together (see `reserveRound`). */
  private readonly sumRounds = new GroupedCalls<SumReservationRequest[], Array<SumReservationResult | Error>>(
    (calls) => this.reserveRound(calls),
  );

  constructor(private readonly counters: LimitCounterRepository) {}

  /**
   * For the drafts of one batch: the counters they all share (the wallet's day and month, the network's day)
   * take every draft's amount together, in one command, instead of one update per draft and counter. Returns
   * the keys taken so; pass them to `reserve` for each draft, which then counts its share as its own (given
   * back if it refuses the draft). A counter the batch does not fit in as a whole is left to `reserve`, draft by draft, so the
   * refusal names the items that do not fit. Shares of drafts never passed to `reserve` must be given back
   * with `releaseShared`.
   */
  async reserveShared(drafts: readonly ComplianceDraft[], policies: Policies): Promise<ReadonlySet<string>> {
    if (drafts.length < 2) return new Set();
    const plans = drafts.map((draft) =>
      sumCounterPlan(draft, policies, 'none').filter((counter) => SHARED_LIMITS.has(counter.limit)),
    );
    const total = drafts.reduce((sum, draft) => sum + draft.amountRaw, 0n);
    const common = plans[0].filter((counter) =>
      plans.every((plan) => plan.some((other) => other.key === counter.key)),
    );
    // One command for all of them. If it fails, the request fails as a whole and what it may have added stays
    // held until the counters' period ends (only stricter), as for any update whose outcome is unknown.
    const added = await this.counters.reserveSumsTogether(
      common.map((counter) => ({
        key: counter.key,
        max: counter.max,
        expiresAt: counter.expiresAt,
        amountRaw: total,
      })),
    );
    return new Set(common.filter((_, index) => added[index]).map((counter) => counter.key));
  }

  /** Gives back the shares `reserveShared` took for drafts that never reached `reserve` (or are refused). */
  async releaseShared(drafts: readonly ComplianceDraft[], keys: ReadonlySet<string>): Promise<void> {
    if (keys.size === 0) return;
    // Side by side: a refused batch of 500 gives back 500 shares, each behind its own release marker.
    await forEachIndex(drafts.length, RELEASES_AT_ONCE, (index) => {
      const { transferId, amountRaw } = drafts[index];
      return this.release(
        transferId,
        [...keys].map((counter) => ({ counter, amountRaw: amountRaw.toString() })),
      );
    });
  }

  async reserve(
    draft: ComplianceDraft,
    policies: Policies,
    kycLevel: KycLevel,
    shared: ReadonlySet<string> = new Set(),
  ): Promise<LimitReservation[]> {
    const amount = draft.amountRaw;
    const plan = sumCounterPlan(draft, policies, kycLevel);
    const held: LimitReservation[] = [];
    /** What is given back on a refusal: what this call took, and the shares a batch took for this draft. */
    const taken: LimitReservation[] = plan
      .filter((counter) => shared.has(counter.key))
      .map((counter) => ({ counter: counter.key, amountRaw: amount.toString() }));
    try {
      if (amount > policies.limits.singleMax) {
        throw limitExceeded('single', policies.limits.singleMax, policies.limits.singleMax);
      }
      const kycSingle = policies.kyc[kycLevel].singleMax;
      if (amount > kycSingle) throw limitExceeded('kyc_single', kycSingle, kycSingle);

      this.sweepOccasionally();
      const own = plan.filter((counter) => !shared.has(counter.key));
      const results =
        own.length === 0
          ? []
          : await this.sumRounds.call(
              own.map((counter) => ({
                key: counter.key,
                max: counter.max,
                amountRaw: amount,
                expiresAt: counter.expiresAt,
              })),
            );
      // Everything reserved counts as taken before any refusal is thrown, so that it is given back.
      let refusal: Error | undefined;
      for (const counter of plan) {
        const reservation = { counter: counter.key, amountRaw: amount.toString() };
        if (shared.has(counter.key)) {
          held.push(reservation);
          continue;
        }
        const result = results[own.indexOf(counter)];
        if (result instanceof Error) refusal ??= result;
        else if (result.status === 'exceeded')
          refusal ??= limitExceeded(counter.limit, counter.max, counter.max - result.used);
        else {
          held.push(reservation);
          taken.push(reservation);
        }
      }
      if (refusal) throw refusal;
      const window = await this.reserveWindow(draft, policies.limits.destinationVelocity);
      held.push(window.reservation);
      if (window.added) taken.push(window.reservation);
      return held;
    } catch (err) {
      await this.giveBack(draft.transferId, taken);
      throw err;
    }
  }

  /** Gives back what the transfer holds, once per transfer: a repeat gives nothing back. */
  async release(transferId: string, reservations: readonly LimitReservation[]): Promise<void> {
    if (reservations.length === 0) return;
    // Once per transfer: a repeated or concurrent release finds the marker and gives nothing back twice. A
    // crash after the marker leaves the rest held until its period ends, which only makes limits stricter.
    if (!(await this.counters.markReleased(transferId, new Date(Date.now() + RELEASE_MARKER_MS)))) return;
    for (const reservation of reservations) {
      if (reservation.entry !== undefined || reservation.counter.startsWith(WINDOW_PREFIX)) {
        await this.releaseWindow(reservation.counter, reservation.entry ?? transferId);
      } else {
        await this.counters.takeBack(reservation.counter, BigInt(reservation.amountRaw));
      }
    }
  }

  /**
   * One round of sum-counter reservations by drafts evaluated at the same time (single payouts arriving
   * together, a batch's items): each counter grows by the round's total for it, every counter in one
   * command, when that total fits; a counter whose total does not fit is reserved request by request, so
   * that only the drafts that do not fit are refused. No counter can pass its limit either way. A request
   * whose own update failed gets the error alone; one that was reserved before it is counted as taken by its
   * draft (and given back), one whose outcome is unknown is not (held capacity only makes limits stricter).
   */
  private async reserveRound(
    calls: ReadonlyArray<readonly SumReservationRequest[]>,
  ): Promise<Array<Array<SumReservationResult | Error>>> {
    const requests = calls.flat();
    const byCounter = new Map<string, SumReservationRequest[]>();
    for (const request of requests) {
      const group = byCounter.get(request.key);
      if (group) group.push(request);
      else byCounter.set(request.key, [request]);
    }
    const groups = [...byCounter.values()];
    const added = await this.counters.reserveSumsTogether(
      groups.map((group) => ({
        key: group[0].key,
        // The strictest of their limits: a policy change may fall between two of the requests.
        max: group.reduce((least, request) => (request.max < least ? request.max : least), group[0].max),
        amountRaw: group.reduce((sum, request) => sum + request.amountRaw, 0n),
        expiresAt: group[0].expiresAt,
      })),
    );
    const results = new Map<SumReservationRequest, SumReservationResult | Error>();
    await Promise.all(
      groups.map(async (group, index) => {
        if (added[index]) {
          for (const request of group) results.set(request, RESERVED);
          return;
        }
        await Promise.all(
          group.map(async (request) => {
            results.set(request, await this.counters.reserveSum(request).catch(asError));
          }),
        );
      }),
    );
    return calls.map((call) => call.map((request) => results.get(request)!));
  }

  private async reserveWindow(
    draft: ComplianceDraft,
    limits: Policies['limits']['destinationVelocity'],
  ): Promise<{ reservation: LimitReservation; added: boolean }> {
    const key = destinationWindowKey(draft.to);
    const reservation = { counter: key, amountRaw: draft.amountRaw.toString(), entry: draft.transferId };
    const candidate = { id: draft.transferId, amountRaw: draft.amountRaw, at: draft.at };
    // Most payouts are the first to their destination in its window: then the window is created without
    // reading it first (a create that finds it there fails and costs one command more), unless this instance
    // saw the window lately.
    let assumeEmpty = (this.knownWindows.get(key) ?? 0) < Date.now();
    for (let attempt = 1; attempt <= MAX_WINDOW_ATTEMPTS; attempt++) {
      const state = assumeEmpty ? null : await this.counters.readWindow(key);
      if (state) this.rememberWindow(key, state.expiresAt);
      const decision = admitToWindow(state?.entries ?? [], candidate, limits);
      if (decision.kind === 'held') return { reservation, added: false };
      if (decision.kind === 'exceeded' && !assumeEmpty) {
        throw limitExceeded(decision.limit, decision.max, decision.remaining);
      }
      if (
        decision.kind === 'admit' &&
        (await this.counters.writeWindow(key, state?.revision ?? null, decision.entries, decision.expiresAt))
      ) {
        this.rememberWindow(key, decision.expiresAt);
        return { reservation, added: true };
      }
      // An assumed-empty window that exists (or a refusal on one) is read at once; a lost race backs off.
      if (!assumeEmpty) await backOff(attempt);
      assumeEmpty = false;
    }
    throw new AppError(ErrorCode.WRITE_CONFLICT, 'Too many simultaneous payouts to this destination; retry', [
      { field: 'to', message: 'destination velocity window busy' },
    ]);
  }

  private rememberWindow(key: string, expiresAt: Date): void {
    if (this.knownWindows.size >= KNOWN_WINDOWS_MAX) this.knownWindows.clear();
    this.knownWindows.set(key, expiresAt.getTime());
  }

  private async releaseWindow(key: string, entryId: string): Promise<void> {
    for (let attempt = 1; attempt <= MAX_WINDOW_ATTEMPTS; attempt++) {
      const state = await this.counters.readWindow(key);
      if (!state || !state.entries.some((entry) => entry.id === entryId)) return;
      const entries = state.entries.filter((entry) => entry.id !== entryId);
      if (await this.counters.writeWindow(key, state.revision, entries, state.expiresAt)) return;
      await backOff(attempt);
    }
    throw new AppError(
      ErrorCode.WRITE_CONFLICT,
      'Could not release the destination velocity reservation; retry',
    );
  }

  /** Best effort: a failed release leaves capacity held until the period ends, so it is logged loudly. */
  private async giveBack(transferId: string, taken: readonly LimitReservation[]): Promise<void> {
    try {
      await this.release(transferId, taken);
    } catch (err) {
      this.logger.error(
        { err, transferId, counters: taken.map((r) => r.counter) },
        'could not give back the limits of a refused transfer; they stay held until their period ends',
      );
    }
  }

  private sweepOccasionally(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    void this.counters.deleteExpired(new Date(now)).then(
      (deleted) => {
        if (deleted) this.logger.log(`deleted ${deleted} expired limit counters`);
      },
      (err: unknown) => this.logger.warn({ err }, 'deleting expired limit counters failed; will retry later'),
    );
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** A short, jittered pause that grows with the attempt (up to 100 ms), so contending writers spread out. */
function backOff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(100, 5 * attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
