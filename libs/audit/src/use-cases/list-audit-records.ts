import { Injectable } from '@nestjs/common';

import { AuditRecordView, toAuditRecordView } from '../domain/audit-record-view';
import { AuditListQuery, AuditLogRepository } from '../persistence/audit-log.repository';

export type AuditListFilter = Omit<AuditListQuery, 'beforeSeq'> & { cursor?: string };

export interface AuditPage {
  items: AuditRecordView[];
  /** Pass back as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

/** GET /audit: records newest first, filtered, with the seq of the last one shown as the cursor. */
@Injectable()
export class ListAuditRecords {
  constructor(private readonly log: AuditLogRepository) {}

  async execute(filter: AuditListFilter): Promise<AuditPage> {
    const { cursor, ...rest } = filter;
    const rows = await this.log.list({
      ...rest,
      ...(cursor !== undefined && { beforeSeq: Number(cursor) }),
      limit: filter.limit + 1,
    });
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toAuditRecordView),
      ...(rows.length > filter.limit && last && { nextCursor: String(last.seq) }),
    };
  }
}
