import { Injectable } from '@nestjs/common';

import { GroupedCalls } from '@app/common';

import { KycRecord, ScreeningEntry } from '../domain/screening';
import { KycRegistry } from '../persistence/kyc-registry';
import { PayoutHistory, PayoutScope } from '../persistence/payout-history';
import { ScreeningListRepository } from '../persistence/screening-list.repository';

/** How long a destination found paid is taken as paid without asking (the rule it feeds is advisory). */
const PAID_KEPT_MS = 60_000;
/** Destinations remembered as paid at most (the memory is dropped whole when full). */
const PAID_KEPT_MAX = 50_000;

/**
 * What the intake of a single payout reads about its destination (screening-list entries, KYC record, whether
 * it was paid before), asked together with the single payouts arriving at the same time: under load each
 * question costs one command per round instead of one per payout, as a batch's do (factsForBatch). Every
 * answer comes from a read made after the question (see GroupedCalls).
 *
 * A destination found paid is remembered as such for a minute and not asked about again: one read for many
 * would otherwise return every earlier payout to it (a busy exchange address has thousands), where asking
 * about one address alone stops at the first. So a payout that was the only one to an address, and fails
 * within that minute, leaves the address counted as paid a little longer (the first-payout rule holds for
 * review, it refuses nothing).
 */
@Injectable()
export class GroupedFactReads {
  private readonly paidLately = new Map<string, number>();
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
    if ((this.paidLately.get(key) ?? 0) > Date.now()) return true;
    const paid = await this.paid[scope.kind].call(to);
    if (paid) {
      if (this.paidLately.size >= PAID_KEPT_MAX) this.paidLately.clear();
      this.paidLately.set(key, Date.now() + PAID_KEPT_MS);
    }
    return paid;
  }

  private paidAmong(kind: PayoutScope['kind']): GroupedCalls<string, boolean> {
    return new GroupedCalls(async (addresses) => {
      const paid = await this.history.paidAmong([...new Set(addresses)], kind);
      return addresses.map((address) => paid.has(address));
    });
  }
}
