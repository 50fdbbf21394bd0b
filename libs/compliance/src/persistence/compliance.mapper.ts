import { KycRecord, ScreeningEntry } from '../domain/screening';
import { KycLevelDoc } from './kyc-level.schema';
import { ScreeningEntryDoc } from './screening-entry.schema';

export function kycToDomain(doc: KycLevelDoc): KycRecord {
  return {
    address: doc.address,
    level: doc.level,
    ...(doc.note ? { note: doc.note } : {}),
    updatedBy: doc.updatedBy,
    updatedAt: new Date(doc.updatedAt),
  };
}

export function screeningEntryToDomain(doc: ScreeningEntryDoc): ScreeningEntry {
  return {
    address: doc.address,
    list: doc.list,
    ...(doc.reason ? { reason: doc.reason } : {}),
    source: doc.source,
    addedBy: doc.addedBy,
    addedAt: new Date(doc.addedAt),
  };
}

export function screeningEntryToPersistence(entry: ScreeningEntry): ScreeningEntryDoc {
  return {
    address: entry.address,
    list: entry.list,
    ...(entry.reason ? { reason: entry.reason } : {}),
    source: entry.source,
    addedBy: entry.addedBy,
    addedAt: entry.addedAt,
  };
}
