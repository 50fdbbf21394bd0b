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
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { DEFAULT_PAGE_LIMIT } from '@app/common';

import {
  ApproveProposalDto,
  ListProposalsQuery,
  PolicyProposalPage,
  PolicyProposalView,
  RejectProposalDto,
} from '../dto/policy-proposal.dto';
import { DecidePolicyProposal } from '../use-cases/decide-policy-proposal';
import { ListPolicyProposals } from '../use-cases/list-policy-proposals';
import { toProposalView } from './policy-proposal.view';

const PROPOSAL_ID = { name: 'id', format: 'uuid', description: 'the proposal id PUT /policies answered' };

@ApiTags('policies')
@Roles('admin')
@Controller('api/v1/tron/usdt/policies/proposals')
export class PolicyProposalsController {
  constructor(
    private readonly proposals: ListPolicyProposals,
    private readonly decide: DecidePolicyProposal,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Four-eyes policy changes, newest first (expired and superseded ones so marked)' })
  @ApiResponse({ status: 200, type: PolicyProposalPage })
  @ApiResponse({ status: 400, description: 'USDT_ERR_105: bad status, limit or cursor' })
  async list(@Query() q: ListProposalsQuery): Promise<PolicyProposalPage> {
    const page = await this.proposals.list({ ...q, limit: q.limit ?? DEFAULT_PAGE_LIMIT });
    return { items: page.items.map(toProposalView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One policy proposal with its votes and the document it proposes' })
  @ApiParam(PROPOSAL_ID)
  @ApiResponse({ status: 200, type: PolicyProposalView })
  @ApiResponse({ status: 404, description: 'USDT_ERR_100: no such proposal' })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<PolicyProposalView> {
    return toProposalView(await this.proposals.get(id));
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Approve (a distinct admin); the vote reaching the quorum puts the document in force',
  })
  @ApiParam(PROPOSAL_ID)
  @ApiResponse({ status: 200, type: PolicyProposalView, description: '`votesNeeded` says what is missing' })
  @ApiResponse({ status: 404, description: 'USDT_ERR_100: no such proposal' })
  @ApiResponse({
    status: 409,
    description:
      'USDT_ERR_203: already voted, or no longer pending (applied, rejected, expired, or superseded ' +
      'because the policies changed since it was proposed); USDT_ERR_601: decided concurrently',
  })
  async approve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ApproveProposalDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<PolicyProposalView> {
    return toProposalView(await this.decide.execute(id, caller, 'approve', body.comment));
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reject (any admin; the proposer withdraws it): it never takes effect' })
  @ApiParam(PROPOSAL_ID)
  @ApiResponse({ status: 200, type: PolicyProposalView })
  @ApiResponse({ status: 400, description: 'USDT_ERR_100: comment is required' })
  @ApiResponse({ status: 404, description: 'USDT_ERR_100: no such proposal' })
  @ApiResponse({ status: 409, description: 'USDT_ERR_203: no longer pending' })
  async reject(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RejectProposalDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<PolicyProposalView> {
    return toProposalView(await this.decide.execute(id, caller, 'reject', body.comment));
  }
}
