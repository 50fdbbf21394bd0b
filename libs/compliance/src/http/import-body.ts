import { AppError, ErrorCode } from '@app/common';

import { ScreeningList } from '../domain/screening';
import {
  ImportFormatError,
  parseScreeningCsv,
  parseScreeningJson,
  RawImportRow,
  resolveImportList,
} from '../domain/screening-import';
import { ImportScreeningQuery } from '../dto/screening.dto';

const JSON_FIELDS = new Set(['list', 'entries', 'source']);
const SOURCE_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Reads the body of POST /screening/import: CSV text (`text/csv`, read by CsvBodyMiddleware) with the list
 * in the query, or JSON `{ list, entries: [{ address, reason? }], source? }`. Row contents are not judged
 * here (that is the per-row report's job), only the shape of the whole.
 */
export function readImportBody(
  body: unknown,
  query: ImportScreeningQuery,
): { list: ScreeningList; source: string; rows: RawImportRow[] } {
  try {
    if (typeof body === 'string') {
      return {
        list: resolveImportList(undefined, query.list),
        source: query.source ?? 'import',
        rows: parseScreeningCsv(body),
      };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ImportFormatError('send CSV (Content-Type: text/csv) or JSON { list, entries, source? }');
    }
    const json = body as Record<string, unknown>;
    const unknown = Object.keys(json).filter((key) => !JSON_FIELDS.has(key));
    if (unknown.length) throw new ImportFormatError(`unknown field ${unknown.join(', ')}`);
    if (json.source !== undefined && (typeof json.source !== 'string' || !SOURCE_PATTERN.test(json.source))) {
      throw new ImportFormatError('source must be 1-100 of letters, digits and ._:-');
    }
    const source = json.source ?? query.source ?? 'import';
    return { list: resolveImportList(json.list, query.list), source, rows: parseScreeningJson(json) };
  } catch (err) {
    if (err instanceof ImportFormatError) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, err.message, [{ field: 'body', message: err.message }]);
    }
    throw err;
  }
}
