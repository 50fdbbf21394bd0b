import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { ErrorCode, SuccessCode, TRON_ADDRESS_SCHEMA } from '@app/common';

import { TRANSFER_STATUSES } from '../domain/transfer';

// The OpenAPI description of what toTransferView returns; the controllers return plain objects.

const NULLABLE_STRING = { type: String, nullable: true } as const;
const NULLABLE_DATE = { type: String, format: 'date-time', nullable: true } as const;
const INTEGER_STRING = { type: String, pattern: '^[0-9]+$', example: '12500000' } as const;
const NULLABLE_INTEGER_STRING = { ...INTEGER_STRING, nullable: true } as const;

class ProblemViewDto {
  @ApiProperty({ enum: Object.values(ErrorCode) }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

class WaitingViewDto {
  @ApiProperty({ enum: Object.values(ErrorCode) }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
}

class HistoryEntryDto {
  @ApiProperty({ enum: TRANSFER_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional() by?: string;
  @ApiPropertyOptional() note?: string;
}

class ApprovalVoteDto {
  @ApiProperty() by!: string;
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: string;
  @ApiPropertyOptional() comment?: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

class RuleHitDto {
  @ApiProperty({ example: 'first_payout' }) rule!: string;
  @ApiProperty({ enum: ['approval', 'note'] }) action!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

class ApprovalViewDto {
  @ApiProperty({ enum: ['default', 'high_value', 'review', 'batch_transfer'] }) workflow!: string;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty({ description: 'Distinct approving admins needed; 0 when approved at intake' })
  quorum!: number;
  @ApiProperty({ type: [ApprovalVoteDto] }) votes!: ApprovalVoteDto[];
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Approving votes still missing; 0 once not pending',
  })
  votesNeeded!: number;
  @ApiProperty(NULLABLE_DATE) expiresAt!: string | null;
  @ApiProperty(NULLABLE_STRING) kycLevel!: string | null;
  @ApiProperty({ type: [RuleHitDto] }) ruleHits!: RuleHitDto[];
}

/** A transfer or approve as the API shows it: amounts as decimal and integer strings. */
export class TransferViewDto {
  @ApiProperty({
    enum: Object.values(SuccessCode),
    description:
      'The code of its state: USDT_003 held, USDT_002 queued or on its way, USDT_004 confirmed, USDT_001 ' +
      'final without paying (failure says why); USDT_005 on an intake replay',
  })
  code!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['transfer', 'approve'] }) kind!: string;
  @ApiProperty({ enum: TRANSFER_STATUSES }) status!: string;
  @ApiProperty({ ...TRON_ADDRESS_SCHEMA, description: 'Paying hot wallet' }) wallet!: string;
  @ApiProperty({ ...TRON_ADDRESS_SCHEMA, description: 'Recipient, or the spender of an approve' })
  to!: string;
  @ApiProperty({ example: '12.5', description: 'USDT, decimal string' }) amount!: string;
  @ApiProperty({ ...INTEGER_STRING, description: 'USDT base units (6 decimals)' }) amountRaw!: string;
  @ApiProperty(NULLABLE_STRING) memo!: string | null;
  @ApiProperty(NULLABLE_STRING) reference!: string | null;
  @ApiProperty({ description: 'A move between two of our own hot wallets (a rebalance)' }) internal!: boolean;
  @ApiProperty({ description: 'JWT subject of the requester' }) requestedBy!: string;
  @ApiProperty({ ...NULLABLE_STRING, format: 'uuid' }) batchId!: string | null;
  @ApiProperty({ ...NULLABLE_STRING, description: 'Current transaction id (64 hex)' }) txid!: string | null;
  @ApiProperty({ type: [String], description: 'Earlier transactions that provably never landed' })
  supersededTxids!: string[];
  @ApiProperty() confirmations!: number;
  @ApiProperty({ type: Number, nullable: true }) blockNumber!: number | null;
  @ApiProperty({ ...NULLABLE_STRING, example: 'SUCCESS' }) receiptResult!: string | null;
  @ApiProperty(NULLABLE_INTEGER_STRING) energyUsed!: string | null;
  @ApiProperty(NULLABLE_INTEGER_STRING) feeSun!: string | null;
  @ApiProperty(NULLABLE_INTEGER_STRING) estimatedEnergy!: string | null;
  @ApiProperty(NULLABLE_INTEGER_STRING) estimatedFeeSun!: string | null;
  @ApiProperty(NULLABLE_INTEGER_STRING) feeLimitSun!: string | null;
  @ApiProperty() broadcastAttempts!: number;
  @ApiProperty({
    type: WaitingViewDto,
    nullable: true,
    description: 'Why an approved transfer has not moved',
  })
  waiting!: WaitingViewDto | null;
  @ApiProperty({ type: ProblemViewDto, nullable: true }) lastError!: ProblemViewDto | null;
  @ApiProperty({ type: ProblemViewDto, nullable: true, description: 'Why a failed transfer failed' })
  failure!: ProblemViewDto | null;
  @ApiProperty({ type: [HistoryEntryDto] }) history!: HistoryEntryDto[];
  @ApiProperty({ type: ApprovalViewDto, nullable: true }) approval!: ApprovalViewDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty(NULLABLE_DATE) broadcastAt!: string | null;
  @ApiProperty(NULLABLE_DATE) confirmedAt!: string | null;
}

/** The answer to POST /transfer and /approve: the success code and the transfer. */
export class OperationResultDto extends TransferViewDto {
  @ApiProperty({
    enum: [SuccessCode.ACCEPTED, SuccessCode.PENDING_APPROVAL, SuccessCode.IDEMPOTENT_REPLAY],
    description: 'USDT_002 queued, USDT_003 pending approval, USDT_005 replay of an earlier request',
  })
  declare code: string;
}

/** The answer to a vote on a held transfer: the transfer as it now stands and the votes it still lacks. */
export class VoteViewDto extends TransferViewDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Approving votes still missing; 0 once released' })
  votesNeeded!: number;
}

export class TransferPageDto {
  @ApiProperty({ type: [TransferViewDto] }) items!: TransferViewDto[];
  @ApiProperty({ ...NULLABLE_STRING, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor!: string | null;
}

export class BatchResultDto {
  @ApiProperty({ enum: [SuccessCode.ACCEPTED, SuccessCode.PENDING_APPROVAL, SuccessCode.IDEMPOTENT_REPLAY] })
  code!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ example: '250.5' }) total!: string;
  @ApiProperty(INTEGER_STRING) totalRaw!: string;
  @ApiProperty({ type: [TransferViewDto] }) items!: TransferViewDto[];
}
