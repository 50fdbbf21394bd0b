import { Body, Controller, Get, Headers, Put } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';

import { EffectivePolicies, PolicyStore, toPlain } from '../policy-store';
import { ReplacePolicies } from '../use-cases/replace-policies';

interface PoliciesView {
  revision: number;
  source: 'file' | 'database';
  updatedBy?: string;
  updatedAt?: string;
  policies: Record<string, unknown>;
}

@ApiTags('policies')
@Controller('api/v1/tron/usdt/policies')
export class PoliciesController {
  constructor(
    private readonly store: PolicyStore,
    private readonly replacePolicies: ReplacePolicies,
  ) {}

  @Get()
  @Roles('viewer')
  @ApiOkResponse({
    description: 'The effective limits, KYC levels, screening, rules, workflows and edge limits',
  })
  async get(): Promise<PoliciesView> {
    return view(await this.store.effective());
  }

  @Put()
  @Roles('admin')
  @ApiHeader({ name: 'If-Match', required: false, description: 'Revision the change is based on' })
  @ApiBody({ description: 'The whole policy document, in the shape of config/security-policies.yaml' })
  @ApiOkResponse({ description: 'The new effective policies' })
  async replace(
    @Body() document: Record<string, unknown>,
    @CurrentUser() caller: AuthUser,
    @Headers('if-match') ifMatch?: string,
  ): Promise<PoliciesView> {
    return view(await this.replacePolicies.execute(document, caller, parseRevision(ifMatch)));
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
    policies: toPlain(effective.document),
  };
}
