import { KycRecord, ScreeningEntry } from '../domain/screening';
import { KycRegistry } from '../persistence/kyc-registry';
import { PayoutHistory, PayoutScope } from '../persistence/payout-history';
import { ScreeningListRepository } from '../persistence/screening-list.repository';

/**
 * What compliance reads from the database about a draft's destination and wallet, apart from the limit
 * counters (which are reserved, not read). One request's drafts are evaluated against one set of facts, so a
 * batch asks each question once for all its items instead of once per item.
 */
export interface IntakeFacts extends HistoryFacts {
  screeningEntries(address: string): Promise<ScreeningEntry[]>;
  kyc(address: string): Promise<KycRecord | null>;
}

/** The questions the monitoring rules ask of earlier payouts, as PayoutHistory answers them. */
export type HistoryFacts = Pick<PayoutHistory, 'hasPaid' | 'countFrom' | 'countToInBand'> & {
  /**
   * True when it is already known, without reading, that `to` was paid before (a batch's read of its
   * destinations, a destination remembered as paid by a confirmed payout); false when it must be asked.
   */
  knownPaid(to: string, scope: PayoutScope): boolean;
};

export interface IntakeFactSources {
  lists: ScreeningListRepository;
  kyc: KycRegistry;
  history: PayoutHistory;
  /** Which destinations were paid before (GroupedFactReads: what it knows is not read again). */
  payees: { paidAmong(addresses: readonly string[], kind: PayoutScope['kind']): Promise<Set<string>> };
}

/**
 * The facts of a batch's destinations, read together: one command for the screening lists, one for KYC and
 * one for earlier payouts to any of them, whatever the number of items. The wallet's velocity count is read
 * once per window start (the batch's drafts share one wallet and one time), and each draft evaluated counts
 * for the ones after it, none of them being stored yet: a batch is counted as that many single payouts
 * would be (RecentVelocity does the same for single payouts on one instance), so splitting payouts into
 * batches does not slip past the rule. The structuring rule's count is read per draft, as for a single
 * payout, and the batch's earlier drafts to the same destination in the same band are added to it.
 */
export async function factsForBatch(
  sources: IntakeFactSources,
  destinations: readonly string[],
  kind: PayoutScope['kind'],
): Promise<IntakeFacts> {
  const addresses = [...new Set(destinations)];
  const [entries, records, paid] = await Promise.all([
    sources.lists.findByAddresses(addresses),
    sources.kyc.findMany(addresses),
    sources.payees.paidAmong(addresses, kind),
  ]);
  const kycByAddress = new Map(records.map((record) => [record.address, record]));
  const velocity = new Map<string, { stored: Promise<number>; drafts: number }>();
  /** In-band drafts of this batch so far, per destination and band (only in-band drafts are counted). */
  const inBand = new Map<string, number>();
  return {
    screeningEntries: (address) => Promise.resolve(entries.filter((entry) => entry.address === address)),
    kyc: (address) => Promise.resolve(kycByAddress.get(address) ?? null),
    hasPaid: (to, scope) =>
      scope.kind === kind ? Promise.resolve(paid.has(to)) : sources.history.hasPaid(to, scope),
    knownPaid: (to, scope) => scope.kind === kind && paid.has(to),
    countFrom: async (wallet, since, scope, atMost) => {
      const key = `${wallet}|${scope.kind}|${since.getTime()}|${atMost}`;
      let read = velocity.get(key);
      if (!read) {
        read = { stored: sources.history.countFrom(wallet, since, scope, atMost), drafts: 0 };
        velocity.set(key, read);
      }
      const earlierInBatch = read.drafts++;
      return Math.min(atMost, (await read.stored) + earlierInBatch);
    },
    countToInBand: async (to, since, band, scope, atMost) => {
      const key = `${to}|${scope.kind}|${band.low}|${band.high}`;
      const earlierInBatch = inBand.get(key) ?? 0;
      inBand.set(key, earlierInBatch + 1);
      const stored = await sources.history.countToInBand(to, since, band, scope, atMost);
      return Math.min(atMost, stored + earlierInBatch);
    },
  };
}
