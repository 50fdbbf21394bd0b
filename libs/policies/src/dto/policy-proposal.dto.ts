import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

import { IsPageLimit, IsPlainText } from '@app/common';

import { PolicyDocument } from '../domain/policy-document';
import { PROPOSAL_CURSOR_PATTERN, PROPOSAL_STATUSES, ProposalStatus } from '../domain/policy-proposal';

export class ListProposalsQuery {
  @ApiPropertyOptional({ enum: PROPOSAL_STATUSES, description: 'only proposals in this status' })
  @IsOptional()
  @IsIn(PROPOSAL_STATUSES)
  status?: ProposalStatus;
  @IsPageLimit()
  limit?: number;
  @ApiPropertyOptional({
    description: 'nextCursor of the previous page',
    pattern: PROPOSAL_CURSOR_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @Matches(PROPOSAL_CURSOR_PATTERN, { message: 'cursor must be a nextCursor this service returned' })
  cursor?: string;
}

/** `:id` of a policy proposal: a UUID, so anything else is USDT_ERR_100 before a lookup. */
export class ProposalIdParams {
  @ApiProperty({ format: 'uuid', description: 'the proposal id PUT /policies answered' })
  @IsUUID()
  id!: string;
}

export class ApproveProposalDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsPlainText()
  comment?: string;
}

export class RejectProposalDto {
  @ApiProperty({ minLength: 3, maxLength: 500, description: 'Why the change is refused (audited)' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @IsPlainText()
  @IsDefined({ message: 'comment is required' })
  comment!: string;
}

export class ProposalVoteView {
  @ApiProperty() by!: string;
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: 'approve' | 'reject';
  @ApiPropertyOptional() comment?: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
}

export class PolicyProposalView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status!: ProposalStatus;
  @ApiProperty({ type: 'integer', description: 'the policy revision it applies on top of' })
  baseRevision!: number;
  @ApiProperty({ nullable: true, type: 'integer', description: 'the revision it became, once applied' })
  appliedRevision!: number | null;
  @ApiProperty() proposedBy!: string;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'distinct approving admins needed, the proposer counting as one',
  })
  quorum!: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'approvals still missing; 0 once no longer pending',
  })
  votesNeeded!: number;
  @ApiProperty({ type: [ProposalVoteView] }) votes!: ProposalVoteView[];
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt!: Date | null;
  @ApiProperty({ type: () => PolicyDocument, description: 'the whole proposed policy document' })
  document!: Record<string, unknown>;
}

export class PolicyProposalPage {
  @ApiProperty({ type: [PolicyProposalView] }) items!: PolicyProposalView[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last',
  })
  nextCursor!: string | null;
}

export class PoliciesView {
  @ApiProperty({ description: '0 while the file is in force; one more per applied change' })
  revision!: number;
  @ApiProperty({ enum: ['file', 'database'] }) source!: 'file' | 'database';
  @ApiPropertyOptional() updatedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) updatedAt?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the proposal this revision came from' })
  proposalId?: string;
  @ApiPropertyOptional({ type: [String], description: 'admins who approved that proposal' })
  approvedBy?: string[];
  @ApiProperty({ type: () => PolicyDocument, description: 'the policy document in force' })
  policies!: Record<string, unknown>;
}
