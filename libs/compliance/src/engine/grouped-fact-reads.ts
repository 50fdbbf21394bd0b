import { Injectable } from '@nestjs/common';

import { GroupedCalls } from '@app/common';

import { KycRecord, ScreeningEntry } from '../domain/screening';
import { KycRegistry } from '../persistence/kyc-registry';
import { PaidAmong, PayoutHistory, PayoutScope } from '../persistence/payout-history';
import { ScreeningListRepository } from '../persistence/screening-list.repository';

/** Destinations remembered as paid by a confirmed payout, at most (the memory is dropped whole when full). */
const CONFIRMED_KEPT_MAX = 50_000;

/**
 * What the intake of a single payout reads about its destination (screening-list entries, KYC record, whether
 * it was paid before), asked together with the single payouts arriving at the same time: under load each
 * question costs one command per round instead of one per payout, as a batch's do (factsForBatch). Each read
 * answers only questions asked before it started (see GroupedCalls).
 *
 * A destination found paid by a confirmed payout is remembered, for single payouts and batches alike, and not
 * asked about again: that is final, and one read for many destinations returns every earlier payout to each (a
 * busy exchange address has thousands), where asking about one alone stops at the first.
 */
@Injectable()
export class GroupedFactReads {
  private readonly confirmedPaid = new Set<string>();
  private readonly entries = new GroupedCalls<string, ScreeningEntry[]>(async (addresses) => {
    const found = await this.lists.findByAddresses([...new Set(addresses)]);
    return addresses.map((address) => found.filter((entry) => entry.address === address));
  });
  private readonly kycRecords = new GroupedCalls<string, KycRecord | null>(async (addresses) => {
    const found = await this.kyc.findMany([...new Set(addresses)]);
    const byAddress = new Map(found.map((record) => [record.address, record]));
    return addresses.map((address) => byAddress.get(address) ?? null);
  });
  private readonly paid = {
    transfer: this.groupedPaid('transfer'),
    approve: this.groupedPaid('approve'),
  };

  constructor(
    private readonly lists: ScreeningListRepository,
    private readonly kyc: KycRegistry,
    private readonly history: PayoutHistory,
  ) {}

  screeningEntries(address: string): Promise<ScreeningEntry[]> {
    return this.entries.call(address);
  }

  kycRecord(address: string): Promise<KycRecord | null> {
    return this.kycRecords.call(address);
  }

  /** Whether `to` is remembered as paid by a confirmed payout (then `hasPaid` answers true without a read). */
  knownPaid(to: string, scope: PayoutScope): boolean {
    return this.confirmedPaid.has(`${scope.kind}:${to}`);
  }

  async hasPaid(to: string, scope: PayoutScope): Promise<boolean> {
    if (this.knownPaid(to, scope)) return true;
    const { paid, confirmed } = await this.paid[scope.kind].call(to);
    if (confirmed) this.rememberConfirmed(scope.kind, [to]);
    return paid;
  }

  /**
   * Which of a batch's destinations were paid before, read at once (not in rounds: a batch is one request), the
   * ones remembered as paid by a confirmed payout not asked about again. A payroll paid to the same people
   * every week would otherwise read every earlier payout to each of them with each batch.
   */
  async paidAmong(addresses: readonly string[], kind: PayoutScope['kind']): Promise<Set<string>> {
    const known = addresses.filter((address) => this.confirmedPaid.has(`${kind}:${address}`));
    const asked = addresses.filter((address) => !this.confirmedPaid.has(`${kind}:${address}`));
    const found: PaidAmong =
      asked.length > 0
        ? await this.history.paidAmong(asked, kind)
        : { paid: new Set(), confirmed: new Set() };
    this.rememberConfirmed(kind, [...found.confirmed]);
    return new Set([...known, ...found.paid]);
  }

  private rememberConfirmed(kind: PayoutScope['kind'], addresses: readonly string[]): void {
    for (const address of addresses) {
      if (this.confirmedPaid.size >= CONFIRMED_KEPT_MAX) this.confirmedPaid.clear();
      this.confirmedPaid.add(`${kind}:${address}`);
    }
  }

  private groupedPaid(
    kind: PayoutScope['kind'],
  ): GroupedCalls<string, { paid: boolean; confirmed: boolean }> {
    return new GroupedCalls(async (addresses) => {
      const found: PaidAmong = await this.history.paidAmong([...new Set(addresses)], kind);
      return addresses.map((address) => ({
        paid: found.paid.has(address),
        confirmed: found.confirmed.has(address),
      }));
    });
  }
}
