import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@app/audit';
import type { AuthUser } from '@app/auth';

import { ScreeningEntry, ScreeningList } from '../domain/screening';
import { ScreeningListRepository } from '../persistence/screening-list.repository';
import { screeningEntryView } from './views';

export interface AddScreeningEntriesCommand {
  list: ScreeningList;
  /** Checked addresses, each at most once. */
  entries: readonly { address: string; reason?: string }[];
  source: string;
  /** Audit action: `compliance.screening.add` or `compliance.screening.import`. */
  action?: string;
}

export interface AddedEntries {
  entries: ScreeningEntry[];
  /** Addresses that were not on the list before. */
  created: Set<string>;
}

/**
 * Puts addresses on a list (POST /compliance/screening and the import): idempotent upserts, so repeating a
 * request or re-running a failed import never leaves half an entry. Audited with before and after.
 */
@Injectable()
export class AddScreeningEntries {
  constructor(
    private readonly lists: ScreeningListRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: AddScreeningEntriesCommand, caller: AuthUser): Promise<AddedEntries> {
    const addedAt = new Date();
    const entries: ScreeningEntry[] = command.entries.map(({ address, reason }) => ({
      address,
      list: command.list,
      ...(reason ? { reason } : {}),
      source: command.source,
      addedBy: caller.sub,
      addedAt,
    }));
    const addresses = entries.map((entry) => entry.address);
    const before = await this.lists.findMany(command.list, addresses);
    await this.lists.upsertMany(entries);
    const existed = new Set(before.map((entry) => entry.address));
    await this.audit.record({
      action: command.action ?? 'compliance.screening.add',
      subject: { type: 'screening_list', id: command.list },
      before: before.map(screeningEntryView),
      after: entries.map(screeningEntryView),
      details: { list: command.list, source: command.source, count: entries.length },
    });
    return { entries, created: new Set(addresses.filter((address) => !existed.has(address))) };
  }
}
