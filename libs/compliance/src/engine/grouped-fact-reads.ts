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
 * A destination found paid by a confirmed payout is remembered and not asked about again: that is final, and
 * one read for many destinations returns every earlier payout to each (a busy exchange address has
 * thousands), where asking about one alone stops at the first.
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
    transfer: this.paidAmong('transfer'),
    approve: this.paidAmong('approve'),
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

  async hasPaid(to: string, scope: PayoutScope): Promise<boolean> {
    const key = `${scope.kind}:${to}`;
    if (this.confirmedPaid.has(key)) return true;
    const { paid, confirmed } = await this.paid[scope.kind].call(to);
    if (confirmed) {
      if (this.confirmedPaid.size >= CONFIRMED_KEPT_MAX) this.confirmedPaid.clear();
      this.confirmedPaid.add(key);
    }
    return paid;
  }

  private paidAmong(kind: PayoutScope['kind']): GroupedCalls<string, { paid: boolean; confirmed: boolean }> {
    return new GroupedCalls(async (addresses) => {
      const found: PaidAmong = await this.history.paidAmong([...new Set(addresses)], kind);
      return addresses.map((address) => ({
        paid: found.paid.has(address),
        confirmed: found.confirmed.has(address),
      }));
    });
  }
}
