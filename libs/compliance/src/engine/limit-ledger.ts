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
  /** Single payouts arriving together reserve on the shared counters together (see `reserveRound`). */
  private readonly sharedRounds = new GroupedCalls<SumReservationRequest, SumReservationResult>((requests) =>
    this.reserveRound(requests),
  );

  constructor(private readonly counters: LimitCounterRepository) {}

  /**
   * For the drafts of one batch: the counters they all share (the wallet's day and month, the network's day)
   * take every draft's amount in one update each, instead of one per draft. Returns the keys taken so; pass
   * them to `reserve` for each draft, which then counts its share as its own (given back if it refuses the
   * draft). A counter the batch does not fit in as a whole is left to `reserve`, draft by draft, so the
   * refusal names the items that do not fit. Shares of drafts never passed to `reserve` must be given back
   * with `releaseShared`.
   */
  async reserveShared(drafts: readonly ComplianceDraft[], policies: Policies): Promise<ReadonlySet<string>> {
    const taken = new Set<string>();
    if (drafts.length < 2) return taken;
    const plans = drafts.map((draft) =>
      sumCounterPlan(draft, policies, 'none').filter((counter) => SHARED_LIMITS.has(counter.limit)),
    );
    const total = drafts.reduce((sum, draft) => sum + draft.amountRaw, 0n);
    try {
      for (const counter of plans[0]) {
        if (!plans.every((plan) => plan.some((other) => other.key === counter.key))) continue;
        const together = await this.counters.reserveSumTogether({
          key: counter.key,
          max: counter.max,
          expiresAt: counter.expiresAt,
          amountRaw: total,
        });
        if (together) taken.add(counter.key);
      }
      return taken;
    } catch (err) {
      // The request fails as a whole: what was taken for it goes back (best effort, as on any refusal).
      for (const key of taken) {
        await this.counters
          .takeBack(key, total)
          .catch((cause: unknown) =>
            this.logger.error({ err: cause, counter: key }, 'could not give back a batch reservation'),
          );
      }
      throw err;
    }
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
      for (const counter of plan) {
        if (shared.has(counter.key)) {
          held.push({ counter: counter.key, amountRaw: amount.toString() });
          continue;
        }
        const request = {
          key: counter.key,
          max: counter.max,
          amountRaw: amount,
          expiresAt: counter.expiresAt,
        };
        const result = SHARED_LIMITS.has(counter.limit)
          ? await this.sharedRounds.call(request)
          : await this.counters.reserveSum(request);
        if (result.status === 'exceeded')
          throw limitExceeded(counter.limit, counter.max, counter.max - result.used);
        const reservation = { counter: counter.key, amountRaw: amount.toString() };
        held.push(reservation);
        taken.push(reservation);
      }
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
   * One round of reservations on the shared counters (a wallet's day and month, the network's day), made by
   * single payouts that arrived together: each counter grows by their total in one conditional update when
   * the total fits, as a batch's does, and otherwise request by request, so that only the ones that do not
   * fit are refused. Either way no counter can pass its limit. A request whose update failed gets the error
   * alone; its outcome is unknown, so it is never given back (held capacity only makes limits stricter).
   */
  private async reserveRound(
    requests: readonly SumReservationRequest[],
  ): Promise<Array<SumReservationResult | Error>> {
    const results: Array<SumReservationResult | Error> = [];
    const byCounter = new Map<string, number[]>();
    requests.forEach((request, index) => {
      const indexes = byCounter.get(request.key);
      if (indexes) indexes.push(index);
      else byCounter.set(request.key, [index]);
    });
    await Promise.all(
      [...byCounter.values()].map(async (indexes) => {
        const group = indexes.map((index) => requests[index]);
        const added =
          group.length > 1 &&
          (await this.counters
            .reserveSumTogether({
              key: group[0].key,
              // The strictest of their limits: a policy change may fall between two of the requests.
              max: group.reduce(
                (least, request) => (request.max < least ? request.max : least),
                group[0].max,
              ),
              amountRaw: group.reduce((sum, request) => sum + request.amountRaw, 0n),
              expiresAt: group[0].expiresAt,
            })
            .catch(asError));
        if (added === false) {
          await Promise.all(
            indexes.map(async (index) => {
              results[index] = await this.counters.reserveSum(requests[index]).catch(asError);
            }),
          );
        } else {
          for (const index of indexes) results[index] = added === true ? RESERVED : added;
        }
      }),
    );
    return results;
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
