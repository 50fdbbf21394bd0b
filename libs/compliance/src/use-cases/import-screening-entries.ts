import { Injectable } from '@nestjs/common';

import type { AuthUser } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';

import { checkImportRows, ImportFormatError, InvalidRow, RawImportRow } from '../domain/screening-import';
import { ScreeningList } from '../domain/screening';
import { AddScreeningEntries } from './add-screening-entries';

export interface ImportScreeningCommand {
  list: ScreeningList;
  source: string;
  /** Rows as read from the CSV or JSON body; produce them with `readImportBody`. */
  rows: readonly RawImportRow[];
}

export interface ImportReport {
  list: ScreeningList;
  source: string;
  rows: number;
  acceptedCount: number;
  invalidCount: number;
  /** `created`: the address was not on the list before (otherwise its entry was refreshed). */
  accepted: { row: number; address: string; created: boolean }[];
  invalid: InvalidRow[];
}

/**
 * POST /compliance/screening/import: every row is checked on its own; valid rows are written (idempotent
 * upserts), invalid ones are reported with their row number and never written.
 */
@Injectable()
export class ImportScreeningEntries {
  constructor(private readonly addEntries: AddScreeningEntries) {}

  async execute(command: ImportScreeningCommand, caller: AuthUser): Promise<ImportReport> {
    const { accepted, invalid } = checkRows(command.rows);
    const added = accepted.length
      ? await this.addEntries.execute(
          {
            list: command.list,
            source: command.source,
            entries: accepted,
            action: 'compliance.screening.import',
          },
          caller,
        )
      : undefined;
    return {
      list: command.list,
      source: command.source,
      rows: command.rows.length,
      acceptedCount: accepted.length,
      invalidCount: invalid.length,
      accepted: accepted.map(({ row, address }) => ({
        row,
        address,
        created: added?.created.has(address) ?? false,
      })),
      invalid,
    };
  }
}

function checkRows(rows: readonly RawImportRow[]): ReturnType<typeof checkImportRows> {
  try {
    return checkImportRows(rows);
  } catch (err) {
    if (err instanceof ImportFormatError) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, err.message, [{ field: 'body', message: err.message }]);
    }
    throw err;
  }
}
