import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { IsTronAddress, IsUsdtAmount } from '@app/common';

// Free text is stored and shown in dashboards: no control characters (which also rules out NUL, which
// FerretDB cannot store).
// eslint-disable-next-line no-control-regex
const TEXT = /^[^\u0000-\u001f]*$/;

class OperationFields {
  @ApiProperty({ example: '12.5', description: 'USDT as a decimal string, > 0, at most 6 decimals' })
  @IsUsdtAmount()
  amount!: string;

  @ApiPropertyOptional({
    description: 'Paying hot wallet (address or label); the default wallet when omitted',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  wallet?: string;

  @ApiPropertyOptional({
    description: 'Free text kept with the transfer (not sent on chain)',
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @Matches(TEXT, { message: 'memo must not contain control characters' })
  memo?: string;

  @ApiPropertyOptional({ description: 'Your own reference, e.g. an invoice or payout id', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(TEXT, { message: 'reference must not contain control characters' })
  reference?: string;
}

export class CreateTransferDto extends OperationFields {
  @ApiProperty({ example: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', description: 'Recipient (base58)' })
  @IsTronAddress()
  to!: string;
}

export class CreateApproveDto extends OperationFields {
  @ApiProperty({
    example: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    description: 'Spender allowed to move our USDT',
  })
  @IsTronAddress()
  spender!: string;
}

export class CancelTransferDto {
  @ApiPropertyOptional({ maxLength: 256 })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  reason?: string;
}

/** The most items one batch request may carry. */
export const MAX_BATCH_ITEMS = 500;

export class BatchItemDto {
  @ApiProperty({ example: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', description: 'Recipient (base58)' })
  @IsTronAddress()
  to!: string;

  @ApiProperty({ example: '12.5', description: 'USDT as a decimal string, > 0, at most 6 decimals' })
  @IsUsdtAmount()
  amount!: string;

  @ApiPropertyOptional({ maxLength: 256 })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @Matches(TEXT, { message: 'memo must not contain control characters' })
  memo?: string;

  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(TEXT, { message: 'reference must not contain control characters' })
  reference?: string;
}

export class CreateBatchDto {
  @ApiPropertyOptional({
    description: 'Paying hot wallet (address or label); the default wallet when omitted',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  wallet?: string;

  @ApiProperty({ type: [BatchItemDto], minItems: 1, maxItems: MAX_BATCH_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => BatchItemDto)
  items!: BatchItemDto[];
}
