import type { KycLevel } from '@app/policies';

/** The admins' lists: `block` refuses a destination, `allow` lets it through in allow-list mode. */
export const SCREENING_LISTS = ['block', 'allow'] as const;
export type ScreeningList = (typeof SCREENING_LISTS)[number];

export function isScreeningList(value: unknown): value is ScreeningList {
  return typeof value === 'string' && (SCREENING_LISTS as readonly string[]).includes(value);
}

export interface ScreeningEntry {
  address: string;
  list: ScreeningList;
  reason?: string;
  /** Where the entry came from: `manual`, `import`, or what the admin named (e.g. a sanctions feed). */
  source: string;
  addedBy: string;
  addedAt: Date;
}

/** What an admin recorded about a counterparty's KYC. */
export interface KycRecord {
  address: string;
  level: KycLevel;
  note?: string;
  updatedBy: string;
  updatedAt: Date;
}

/** Longest reason, note or source accepted. */
export const MAX_REASON_LENGTH = 500;
export const MAX_SOURCE_LENGTH = 100;
