import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiErrors, DEFAULT_PAGE_LIMIT, ErrorBodyDto, ErrorCode } from '@app/common';

import {
  ApproveProposalDto,
  ListProposalsQuery,
  PolicyProposalPage,
  PolicyProposalView,
  ProposalIdParams,
  RejectProposalDto,
} from '../dto/policy-proposal.dto';
import { DecidePolicyProposal } from '../use-cases/decide-policy-proposal';
import { ListPolicyProposals } from '../use-cases/list-policy-proposals';
import { toProposalView } from './policy-proposal.view';

/**
 * A missing proposal is Nest's 404 in the error shape (USDT_ERR_100 with the status kept, as for an unknown
 * route): the catalogue has no code of its own for it.
 */
const ApiProposalNotFound = () =>
  ApiNotFoundResponse({ type: ErrorBodyDto, description: 'USDT_ERR_100: no policy proposal with that id' });

/** A vote on a proposal that is no longer pending or already has the caller's vote; a concurrent decision. */
const VOTE_ERRORS = [ErrorCode.INVALID_STATE, ErrorCode.WRITE_CONFLICT];

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
  @ApiOkResponse({ type: PolicyProposalPage })
  async list(@Query() q: ListProposalsQuery): Promise<PolicyProposalPage> {
    const page = await this.proposals.list({ ...q, limit: q.limit ?? DEFAULT_PAGE_LIMIT });
    return { items: page.items.map(toProposalView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One policy proposal with its votes and the document it proposes' })
  @ApiOkResponse({ type: PolicyProposalView })
  @ApiProposalNotFound()
  async get(@Param() { id }: ProposalIdParams): Promise<PolicyProposalView> {
    return toProposalView(await this.proposals.get(id));
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Approve (a distinct admin); the vote reaching the quorum puts the document in force',
  })
  @ApiBody({ type: ApproveProposalDto, examples: { approve: { value: { comment: 'limits checked' } } } })
  @ApiOkResponse({ type: PolicyProposalView, description: '`votesNeeded` says what is missing' })
  @ApiProposalNotFound()
  // USDT_ERR_203: already voted, or no longer pending (applied, rejected, expired, or superseded because the
  // policies changed since it was proposed); USDT_ERR_601: decided concurrently.
  @ApiErrors(...VOTE_ERRORS)
  async approve(
    @Param() { id }: ProposalIdParams,
    @Body() body: ApproveProposalDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<PolicyProposalView> {
    return toProposalView(await this.decide.execute(id, caller, 'approve', body.comment));
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reject (any admin; the proposer withdraws it): it never takes effect' })
  @ApiBody({ type: RejectProposalDto, examples: { reject: { value: { comment: 'too permissive' } } } })
  @ApiOkResponse({ type: PolicyProposalView })
  @ApiProposalNotFound()
  @ApiErrors(...VOTE_ERRORS)
  async reject(
    @Param() { id }: ProposalIdParams,
    @Body() body: RejectProposalDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<PolicyProposalView> {
    return toProposalView(await this.decide.execute(id, caller, 'reject', body.comment));
  }
}
