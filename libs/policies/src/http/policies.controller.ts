import { Body, Controller, Get, Headers, Put, Res } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiHeader, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';

import { PoliciesView, PolicyProposalView } from '../dto/policy-proposal.dto';
import { EffectivePolicies, PolicyStore, toPlain } from '../policy-store';
import { ProposePolicies } from '../use-cases/propose-policies';
import { toProposalView } from './policy-proposal.view';

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
  @ApiResponse({
    status: 200,
    type: PoliciesView,
    description: 'The effective limits, KYC levels, screening, rules, workflows and edge limits',
  })
  async get(): Promise<PoliciesView> {
    return view(await this.store.effective());
  }

  @Put()
  @Roles('admin')
  @ApiHeader({ name: 'If-Match', required: false, description: 'Revision the change is based on' })
  @ApiBody({ description: 'The whole policy document, in the shape of config/security-policies.yaml' })
  @ApiResponse({
    status: 200,
    type: PoliciesView,
    description: 'policy_change quorum 1: the new effective policies, in force now',
  })
  @ApiResponse({
    status: 202,
    schema: { $ref: getSchemaPath(PolicyProposalView) },
    description:
      'policy_change quorum above 1: a pending proposal (`votesNeeded`), in force once enough ' +
      'distinct admins approve it at /policies/proposals/:id/approve',
  })
  @ApiResponse({ status: 400, description: 'USDT_ERR_100: the document is invalid (each field named)' })
  @ApiResponse({ status: 409, description: 'USDT_ERR_601: If-Match is not the revision in force' })
  async replace(
    @Body() document: Record<string, unknown>,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: Response,
    @Headers('if-match') ifMatch?: string,
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
