import { ScreeningEntry, ScreeningList } from '../domain/screening';

export interface ScreeningPageQuery {
  list?: ScreeningList;
  limit: number;
  /** The last entry of the previous page. */
  after?: { list: ScreeningList; address: string };
}

/** The admins' block and allow lists (`screening_entries`). */
export abstract class ScreeningListRepository {
  /** The entries of any of `addresses`, on either list. */
  abstract findByAddresses(addresses: readonly string[]): Promise<ScreeningEntry[]>;
  /** The existing entries of these addresses on one list. */
  abstract findMany(list: ScreeningList, addresses: readonly string[]): Promise<ScreeningEntry[]>;
  /** Ordered by list, then address. */
  abstract page(query: ScreeningPageQuery): Promise<ScreeningEntry[]>;
  /** Creates or replaces each entry (keyed by address and list): repeating it changes nothing more. */
  abstract upsertMany(entries: readonly ScreeningEntry[]): Promise<void>;
  /** Deletes the entry and returns it, or null when there was none. */
  abstract remove(list: ScreeningList, address: string): Promise<ScreeningEntry | null>;
}
