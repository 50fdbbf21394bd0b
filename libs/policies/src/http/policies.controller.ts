import { Body, Controller, createParamDecorator, ExecutionContext, Get, Put, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiErrors, AppError, ErrorCode } from '@app/common';

import { PolicyDocument } from '../domain/policy-document';
import { PoliciesView, PolicyProposalView } from '../dto/policy-proposal.dto';
import { EffectivePolicies, PolicyStore, toPlain } from '../policy-store';
import { ProposePolicies } from '../use-cases/propose-policies';
import { toProposalView } from './policy-proposal.view';

/**
 * The optional If-Match header. Read by hand rather than with @Headers(), which swagger would document a
 * second time beside the @ApiHeader that carries its description.
 */
const IfMatch = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    context.switchToHttp().getRequest<Request>().headers['if-match'],
);

@ApiTags('policies')
@ApiExtraModels(PoliciesView, PolicyProposalView)
@Controller('api/v1/tron/usdt/policies')
export class PoliciesController {
  constructor(
    private readonly store: PolicyStore,
    private readonly proposePolicies: ProposePolicies,
  ) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({ summary: 'The effective limits, KYC levels, screening, rules, workflows and edge limits' })
  @ApiOkResponse({ type: PoliciesView })
  async get(): Promise<PoliciesView> {
    return view(await this.store.effective());
  }

  @Put()
  @Roles('admin')
  @ApiOperation({
    summary:
      'Replace the whole policy document for every instance (audited): in force at once with a ' +
      'policy_change quorum of 1, a proposal for more admins to approve above it',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'Revision the change is based on; 409 USDT_ERR_601 if another change came first',
    schema: { type: 'string', pattern: '^(W/)?"?[0-9]+"?$', example: '3' },
  })
  @ApiBody({
    type: PolicyDocument,
    description: 'The whole policy document, in the shape of config/security-policies.yaml',
  })
  @ApiOkResponse({
    type: PoliciesView,
    description: 'policy_change quorum 1: the new effective policies, in force now',
  })
  @ApiAcceptedResponse({
    type: PolicyProposalView,
    description:
      'policy_change quorum above 1: a pending proposal (`votesNeeded`), in force once enough ' +
      'distinct admins approve it at /policies/proposals/:id/approve',
  })
  @ApiErrors(ErrorCode.INVALID_AMOUNT, ErrorCode.WRITE_CONFLICT)
  async replace(
    @Body() document: Record<string, unknown>,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: Response,
    @IfMatch() ifMatch?: string,
  ): Promise<PoliciesView | PolicyProposalView> {
    const outcome = await this.proposePolicies.execute(document, caller, parseRevision(ifMatch));
    if ('applied' in outcome) return view(outcome.applied);
    res.status(202);
    return toProposalView(outcome.proposal);
  }
}

function parseRevision(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.replace(/^W\//, '').replace(/"/g, '').trim();
  if (!/^\d+$/.test(value)) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, 'If-Match must be a policy revision number', [
      { field: 'If-Match', message: 'not a revision number' },
    ]);
  }
  return Number(value);
}

function view(effective: EffectivePolicies): PoliciesView {
  return {
    revision: effective.revision,
    source: effective.source,
    updatedBy: effective.updatedBy,
    updatedAt: effective.updatedAt?.toISOString(),
    proposalId: effective.proposalId,
    approvedBy: effective.approvedBy,
    policies: toPlain(effective.document),
  };
}
