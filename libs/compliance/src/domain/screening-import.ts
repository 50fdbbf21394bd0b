import { isTronAddress } from '@app/common';

import { isScreeningList, MAX_REASON_LENGTH, ScreeningList } from './screening';

/**
 * Bulk list imports (CSV or JSON) are checked row by row: valid rows are written (idempotent upserts, so a
 * re-run after a failure is safe), invalid ones are reported with their row number and never written.
 */

/** One row as read, before checks. `row` is 1-based: the CSV line (header included) or the JSON index + 1. */
export interface RawImportRow {
  row: number;
  address: unknown;
  reason?: unknown;
  /** A problem found while reading the row (e.g. too many columns). */
  problem?: string;
}

export interface AcceptedRow {
  row: number;
  address: string;
  reason?: string;
}

export interface InvalidRow {
  row: number;
  address?: string;
  message: string;
}

/** Most rows one import may hold; the request body limit usually bites first. */
export const MAX_IMPORT_ROWS = 10_000;

export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
}

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF). Columns are `address,reason`; a
 * first line naming the columns is recognised as a header (and may order them either way). Blank lines and
 * lines starting with `#` are skipped.
 */
export function parseScreeningCsv(text: string): RawImportRow[] {
  const records = readCsvRecords(text.replace(/^\uFEFF/, ''));
  let columns = { address: 0, reason: 1, count: 2 };
  const first = records[0];
  if (first && first.fields.some((field) => field.trim().toLowerCase() === 'address')) {
    const names = first.fields.map((field) => field.trim().toLowerCase());
    const reason = names.indexOf('reason');
    columns = { address: names.indexOf('address'), reason, count: names.length };
    records.shift();
  }
  return records.map(({ line, fields }) => {
    const at = (index: number) => (index >= 0 && index < fields.length ? fields[index].trim() : undefined);
    const row: RawImportRow = { row: line, address: at(columns.address) ?? '' };
    const reason = at(columns.reason);
    if (reason) row.reason = reason;
    if (fields.length > columns.count) row.problem = `expected at most ${columns.count} columns`;
    return row;
  });
}

/** Reads the `entries` of a JSON import body; the shape of each entry is checked per row. */
export function parseScreeningJson(body: Record<string, unknown>): RawImportRow[] {
  const { entries } = body;
  if (!Array.isArray(entries))
    throw new ImportFormatError('entries must be an array of { address, reason? }');
  return entries.map((entry: unknown, index) => {
    const row = index + 1;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return { row, address: undefined, problem: 'must be an object { address, reason? }' };
    }
    const { address, reason, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    return {
      row,
      address,
      reason,
      ...(unknown.length ? { problem: `unknown field ${unknown.join(', ')}` } : {}),
    };
  });
}

/** The list named by a JSON body and/or the query; they must agree. */
export function resolveImportList(fromBody: unknown, fromQuery: unknown): ScreeningList {
  const named = [fromBody, fromQuery].filter((value) => value !== undefined);
  if (named.length === 0) throw new ImportFormatError('list is required: block or allow');
  if (!named.every(isScreeningList)) throw new ImportFormatError('list must be block or allow');
  if (named.length === 2 && named[0] !== named[1]) {
    throw new ImportFormatError('list in the body and in the query differ');
  }
  return named[0];
}

/** Sorts rows into accepted and invalid; a repeated address is reported as a duplicate of its first row. */
export function checkImportRows(rows: readonly RawImportRow[]): {
  accepted: AcceptedRow[];
  invalid: InvalidRow[];
} {
  if (rows.length === 0) throw new ImportFormatError('the import holds no rows');
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new ImportFormatError(`an import holds at most ${MAX_IMPORT_ROWS} rows, this one ${rows.length}`);
  }
  const accepted: AcceptedRow[] = [];
  const invalid: InvalidRow[] = [];
  const seen = new Map<string, number>();
  for (const raw of rows) {
    const address = typeof raw.address === 'string' ? raw.address : undefined;
    const reject = (message: string) =>
      invalid.push({ row: raw.row, ...(address !== undefined ? { address } : {}), message });
    if (raw.problem) {
      reject(raw.problem);
    } else if (!isTronAddress(address)) {
      reject('not a base58check TRON address (T...)');
    } else if (raw.reason !== undefined && raw.reason !== null && typeof raw.reason !== 'string') {
      reject('reason must be a string');
    } else if (typeof raw.reason === 'string' && raw.reason.length > MAX_REASON_LENGTH) {
      reject(`reason must be at most ${MAX_REASON_LENGTH} characters`);
    } else if (seen.has(address)) {
      reject(`duplicate of row ${seen.get(address)}`);
    } else {
      seen.set(address, raw.row);
      const reason = typeof raw.reason === 'string' && raw.reason.trim() ? raw.reason.trim() : undefined;
      accepted.push({ row: raw.row, address, ...(reason ? { reason } : {}) });
    }
  }
  return { accepted, invalid };
}

interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
}

function readCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let atFieldStart = true;

  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0].trim() === '';
    const comment = fields[0].trimStart().startsWith('#');
    if (!blank && !comment) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    atFieldStart = true;
  };

  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      // Leading blanks before an opening quote keep the field open for it.
      if (!(atFieldStart && (char === ' ' || char === '\t'))) atFieldStart = false;
      field += char;
    }
  }
  if (quoted) throw new ImportFormatError(`unterminated quoted field starting on line ${recordLine}`);
  if (field !== '' || fields.length) endRecord();
  return records;
}
