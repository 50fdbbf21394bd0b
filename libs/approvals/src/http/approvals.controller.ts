import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ListTransfersQuery, QueryTransfers, toTransferView, Transfer, votesNeeded } from '@app/transfers';

import { ApproveDto, RejectDto } from '../dto/decision.dto';
import { DecideApproval } from '../use-cases/decide-approval';

@ApiTags('approvals')
@Roles('admin')
@Controller('api/v1/tron/usdt/approvals')
export class ApprovalsController {
  constructor(
    private readonly query: QueryTransfers,
    private readonly decide: DecideApproval,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The approval queue: transfers pending approval (or any status given), newest first',
  })
  async list(@Query() q: ListTransfersQuery) {
    const page = await this.query.list({
      ...q,
      status: q.status ?? 'pending_approval',
      limit: q.limit ?? 50,
    });
    return { items: page.items.map(toTransferView), nextCursor: page.nextCursor };
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Approve (a distinct admin, not the requester); the quorum releases the transfer',
  })
  async approve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ApproveDto,
    @CurrentUser() caller: AuthUser,
  ) {
    return voteView(await this.decide.execute(id, caller, 'approve', body.comment));
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reject: the transfer never reaches the chain and its limits are released' })
  async reject(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RejectDto,
    @CurrentUser() caller: AuthUser,
  ) {
    return voteView(await this.decide.execute(id, caller, 'reject', body.comment));
  }
}

/** A vote's answer: the transfer as it now stands and how many approving votes it still lacks. */
function voteView(transfer: Transfer) {
  return { ...toTransferView(transfer), votesNeeded: votesNeeded(transfer) };
}
