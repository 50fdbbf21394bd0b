import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Roles } from '@app/auth';
import { ApiErrors, ErrorCode } from '@app/common';

import { AuditPageDto, ChainVerificationDto } from '../dto/audit-views.dto';

import { ListAuditQuery } from '../dto/list-audit.query';
import { AuditPage, ListAuditRecords } from '../use-cases/list-audit-records';
import { ChainVerification, VerifyAuditChain } from '../use-cases/verify-audit-chain';

@ApiTags('audit')
@Controller('api/v1/tron/usdt/audit')
@Roles('admin')
export class AuditController {
  constructor(
    private readonly listRecords: ListAuditRecords,
    private readonly verifyChain: VerifyAuditChain,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Audit records newest first, filtered, with cursor pagination on seq' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors(ErrorCode.INVALID_QUERY)
  list(@Query() q: ListAuditQuery): Promise<AuditPage> {
    return this.listRecords.execute({ ...q, limit: q.limit ?? 50 });
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute the whole hash chain and report the first broken record, if any' })
  @ApiOkResponse({
    type: ChainVerificationDto,
    description: '{ ok: true, records, lastSeq, lastHash } or { ok: false, records, firstBroken }',
  })
  verify(): Promise<ChainVerification> {
    return this.verifyChain.execute();
  }
}
