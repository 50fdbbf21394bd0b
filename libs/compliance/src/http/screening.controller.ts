import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiErrors, ErrorCode } from '@app/common';

import {
  AddScreeningEntriesDto,
  ImportScreeningQuery,
  ListScreeningQuery,
  ImportReportDto,
  RemovedEntryDto,
  ScreeningAddResultDto,
  ScreeningEntryParams,
  ScreeningPageDto,
} from '../dto/screening.dto';
import { AddScreeningEntries } from '../use-cases/add-screening-entries';
import { ImportReport, ImportScreeningEntries } from '../use-cases/import-screening-entries';
import { ListScreeningEntries } from '../use-cases/list-screening-entries';
import { RemoveScreeningEntry } from '../use-cases/remove-screening-entry';
import { ScreeningEntryView, screeningEntryView } from '../use-cases/views';
import { readImportBody } from './import-body';

@ApiTags('compliance')
@Controller('api/v1/tron/usdt/compliance/screening')
@Roles('admin')
export class ScreeningController {
  constructor(
    private readonly listEntries: ListScreeningEntries,
    private readonly addEntries: AddScreeningEntries,
    private readonly importEntries: ImportScreeningEntries,
    private readonly removeEntry: RemoveScreeningEntry,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Block and allow list entries, in list then address order, page by page' })
  @ApiOkResponse({ type: ScreeningPageDto })
  @ApiErrors(ErrorCode.INVALID_QUERY)
  async list(
    @Query() query: ListScreeningQuery,
  ): Promise<{ items: ScreeningEntryView[]; nextCursor: string | null }> {
    const page = await this.listEntries.execute({
      list: query.list,
      limit: query.limit ?? 50,
      cursor: query.cursor,
    });
    return { items: page.items.map(screeningEntryView), nextCursor: page.nextCursor };
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Put addresses on a list (idempotent; every address must be valid)' })
  @ApiBody({
    type: AddScreeningEntriesDto,
    examples: {
      block: {
        value: {
          list: 'block',
          entries: [{ address: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8', reason: 'OFAC SDN list' }],
          source: 'ofac-2026-11',
        },
      },
    },
  })
  @ApiOkResponse({ type: ScreeningAddResultDto })
  @ApiErrors(ErrorCode.INVALID_ADDRESS, ErrorCode.WRITE_CONFLICT)
  async add(
    @Body() body: AddScreeningEntriesDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<{ list: string; entries: ScreeningEntryView[] }> {
    const { entries } = await this.addEntries.execute(
      { list: body.list, entries: uniqueByAddress(body.entries), source: body.source ?? 'manual' },
      caller,
    );
    return { list: body.list, entries: entries.map(screeningEntryView) };
  }

  @Post('import')
  @HttpCode(HttpStatus.OK)
  // The document gives the CSV form; the JSON form `{ list, entries, source? }` is the body of POST /screening
  // with a per-row report instead of all-or-nothing, and is described in the README.
  @ApiConsumes('text/csv')
  @ApiBody({
    description: 'CSV `address,reason`, header optional; the list and source are query parameters',
    required: true,
    // At least one row: a body with nothing but blank space is refused (USDT_ERR_100).
    schema: { type: 'string', pattern: '\\S' },
    examples: {
      csv: { value: 'address,reason\nTJRabPrwbZy45sbavfcjinPJC18kjpRTv8,OFAC SDN list\n' },
    },
  })
  @ApiOperation({ summary: 'Bulk import with a per-row report: valid rows are written, invalid ones listed' })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiErrors(ErrorCode.WRITE_CONFLICT)
  async import(
    @Body() body: unknown,
    @Query() query: ImportScreeningQuery,
    @CurrentUser() caller: AuthUser,
  ): Promise<ImportReport> {
    return this.importEntries.execute(readImportBody(body, query), caller);
  }

  @Delete(':list/:address')
  @ApiOperation({ summary: 'Take an address off a list (idempotent: `removed` says whether it was there)' })
  @ApiOkResponse({ type: RemovedEntryDto })
  @ApiErrors(ErrorCode.INVALID_ADDRESS)
  remove(
    @Param() params: ScreeningEntryParams,
  ): Promise<{ list: string; address: string; removed: boolean }> {
    return this.removeEntry.execute(params.list, params.address);
  }
}

/** A repeated address in one request counts once (the last reason given wins). */
function uniqueByAddress<T extends { address: string }>(entries: readonly T[]): T[] {
  return [...new Map(entries.map((entry) => [entry.address, entry])).values()];
}
