import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@app/audit';

import { ScreeningList } from '../domain/screening';
import { ScreeningListRepository } from '../persistence/screening-list.repository';
import { screeningEntryView } from './views';

/** DELETE /compliance/screening/:list/:address: idempotent; a removal is audited with what was removed. */
@Injectable()
export class RemoveScreeningEntry {
  constructor(
    private readonly lists: ScreeningListRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(
    list: ScreeningList,
    address: string,
  ): Promise<{ list: ScreeningList; address: string; removed: boolean }> {
    const removed = await this.lists.remove(list, address);
    if (removed) {
      await this.audit.record({
        action: 'compliance.screening.remove',
        subject: { type: 'screening_entry', id: `${list}:${address}` },
        before: screeningEntryView(removed),
        after: null,
      });
    }
    return { list, address, removed: removed !== null };
  }
}
