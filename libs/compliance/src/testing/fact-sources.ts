import type { KycRecord, ScreeningEntry } from '../domain/screening';
import type { KycRegistry } from '../persistence/kyc-registry';
import type { ScreeningListRepository } from '../persistence/screening-list.repository';

/** Three destinations: A plain, B on the block list, C with full KYC. */
export const [A, B, C] = ['TAaaa', 'TBbbb', 'TCccc'];

/**
 * Screening lists and a KYC registry holding B's block entry and C's KYC record, answering only for the
 * addresses asked about, and recording each read in `calls` (`lists A,B`, `kyc C`).
 */
export function fakeFactSources(calls: string[], at: Date) {
  const entry: ScreeningEntry = {
    address: B,
    list: 'block',
    source: 'manual',
    addedBy: 'admin',
    addedAt: at,
  };
  const record: KycRecord = { address: C, level: 'full', updatedBy: 'admin', updatedAt: at };
  const lists = {
    findByAddresses: (addresses: readonly string[]) => {
      calls.push(`lists ${addresses.join(',')}`);
      return Promise.resolve([entry].filter((e) => addresses.includes(e.address)));
    },
  } as unknown as ScreeningListRepository;
  const kyc = {
    findMany: (addresses: readonly string[]) => {
      calls.push(`kyc ${addresses.join(',')}`);
      return Promise.resolve([record].filter((r) => addresses.includes(r.address)));
    },
  } as unknown as KycRegistry;
  return { lists, kyc };
}
