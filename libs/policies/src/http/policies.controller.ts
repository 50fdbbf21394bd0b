import { Body, Controller, createParamDecorator, ExecutionContext, Get, Put } from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiErrors, AppError, ErrorCode } from '@app/common';

import { PolicyDocument } from '../domain/policy-document';

import { EffectivePolicies, PolicyStore, toPlain } from '../policy-store';
import { ReplacePolicies } from '../use-cases/replace-policies';

class PoliciesView {
  @ApiProperty({ description: 'Grows with every change; send it as If-Match' }) revision!: number;
  @ApiProperty({ enum: ['file', 'database'] }) source!: 'file' | 'database';
  @ApiPropertyOptional() updatedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) updatedAt?: string;
  @ApiProperty({ type: () => PolicyDocument }) policies!: Record<string, unknown>;
}

/**
 * The optional If-Match header. Read by hand rather than with @Headers(), which swagger would document a
 * second time beside the @ApiHeader that carries its description.
 */
const IfMatch = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    context.switchToHttp().getRequest<Request>().headers['if-match'],
);

@ApiTags('policies')
@Controller('api/v1/tron/usdt/policies')
export class PoliciesController {
  constructor(
    private readonly store: PolicyStore,
    private readonly replacePolicies: ReplacePolicies,
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
  @ApiOperation({ summary: 'Replace the whole policy document for every instance (audited)' })
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
  @ApiOkResponse({ type: PoliciesView, description: 'The new effective policies' })
  @ApiErrors(ErrorCode.INVALID_AMOUNT, ErrorCode.WRITE_CONFLICT)
  async replace(
    @Body() document: Record<string, unknown>,
    @CurrentUser() caller: AuthUser,
    @IfMatch() ifMatch?: string,
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
