import { KycRecord, ScreeningEntry } from '../domain/screening';

/** The JSON shape of a KYC record: what the API returns and the audit trail stores. */
export interface KycView {
  address: string;
  level: string;
  note: string | null;
  updatedBy: string | null;
  updatedAt: string | null;
}

export function kycView(record: Partial<KycRecord> & Pick<KycRecord, 'address' | 'level'>): KycView {
  return {
    address: record.address,
    level: record.level,
    note: record.note ?? null,
    updatedBy: record.updatedBy ?? null,
    updatedAt: record.updatedAt?.toISOString() ?? null,
  };
}

export interface ScreeningEntryView {
  address: string;
  list: string;
  reason: string | null;
  source: string;
  addedBy: string;
  addedAt: string;
}

export function screeningEntryView(entry: ScreeningEntry): ScreeningEntryView {
  return {
    address: entry.address,
    list: entry.list,
    reason: entry.reason ?? null,
    source: entry.source,
    addedBy: entry.addedBy,
    addedAt: entry.addedAt.toISOString(),
  };
}
