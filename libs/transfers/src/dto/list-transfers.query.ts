import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

import { IsOptionalDate, IsPageLimit, IsPlainText, IsTronAddress, RenamedTo } from '@app/common';

import { TRANSFER_CURSOR_PATTERN } from '../domain/page-cursor';
import { OperationKind, TRANSFER_STATUSES, TransferStatus } from '../domain/transfer';

export class ListTransfersQuery {
  @ApiPropertyOptional({ enum: TRANSFER_STATUSES })
  @IsOptional()
  @IsIn(TRANSFER_STATUSES)
  status?: TransferStatus;
  @ApiPropertyOptional({ enum: ['transfer', 'approve'] })
  @IsOptional()
  @IsIn(['transfer', 'approve'])
  kind?: OperationKind;
  @ApiPropertyOptional() @IsOptional() @IsTronAddress() wallet?: string;
  @ApiPropertyOptional() @IsOptional() @IsTronAddress() to?: string;
  @ApiPropertyOptional({ description: 'items of one batch', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  batchId?: string;
  @ApiPropertyOptional({
    description: "the caller's own reference given at intake (exact match), also on batch items",
    maxLength: 128,
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @IsPlainText()
  reference?: string;
  // Named for what they filter: `from` was read as a sender address by callers and answered with a date error.
  @IsOptionalDate('created at or after this time (ISO 8601)')
  createdFrom?: Date;
  @IsOptionalDate('created before this time (ISO 8601)')
  createdBefore?: Date;
  @RenamedTo('createdFrom', 'a creation time, not an address')
  from?: never;
  @RenamedTo('createdBefore', 'a creation time, not an address')
  until?: never;
  @IsPageLimit()
  limit?: number;
  @ApiPropertyOptional({
    description: 'nextCursor of the previous page',
    pattern: TRANSFER_CURSOR_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @Matches(TRANSFER_CURSOR_PATTERN, { message: 'cursor must be a nextCursor this service returned' })
  cursor?: string;
}

export class StatsQuery {
  @ApiPropertyOptional({ type: 'integer', default: 30, minimum: 1, maximum: 366 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  days?: number;
}

export class HistoryQuery {
  @ApiPropertyOptional({ type: 'integer', default: 20, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional({ description: 'fingerprint of the previous page', minLength: 1, maxLength: 512 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  fingerprint?: string;
}
