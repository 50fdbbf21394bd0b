import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiErrors, ErrorCode } from '@app/common';
import {
  ListTransfersQuery,
  QueryTransfers,
  toTransferView,
  TransferIdParams,
  TransferPageDto,
  Transfer,
  votesNeeded,
  VoteViewDto,
} from '@app/transfers';

import { ApproveDto, RejectDto } from '../dto/decision.dto';
import { DecideApproval } from '../use-cases/decide-approval';

/** A vote on a transfer that is missing, no longer pending, already voted on by the caller, or their own. */
const DECISION_ERRORS = [
  ErrorCode.TRANSFER_NOT_FOUND,
  ErrorCode.INVALID_STATE,
  ErrorCode.WRITE_CONFLICT,
  ErrorCode.FORBIDDEN_ROLE,
];

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
  @ApiOkResponse({ type: TransferPageDto })
  @ApiErrors(ErrorCode.INVALID_ADDRESS, ErrorCode.INVALID_QUERY)
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
  @ApiBody({ type: ApproveDto, examples: { approve: { value: { comment: 'checked with finance' } } } })
  @ApiOkResponse({ type: VoteViewDto })
  @ApiErrors(...DECISION_ERRORS)
  async approve(
    @Param() { id }: TransferIdParams,
    @Body() body: ApproveDto,
    @CurrentUser() caller: AuthUser,
  ) {
    return voteView(await this.decide.execute(id, caller, 'approve', body.comment));
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reject: the transfer never reaches the chain and its limits are released' })
  @ApiBody({ type: RejectDto, examples: { reject: { value: { comment: 'unknown recipient' } } } })
  @ApiOkResponse({ type: VoteViewDto })
  @ApiErrors(...DECISION_ERRORS)
  async reject(@Param() { id }: TransferIdParams, @Body() body: RejectDto, @CurrentUser() caller: AuthUser) {
    return voteView(await this.decide.execute(id, caller, 'reject', body.comment));
  }
}

/** A vote's answer: the transfer as it now stands and how many approving votes it still lacks. */
function voteView(transfer: Transfer) {
  return { ...toTransferView(transfer), votesNeeded: votesNeeded(transfer) };
}
