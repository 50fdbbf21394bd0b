import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { IsPlainText, IsTronAddress, IsUsdtAmount, TRON_ADDRESS_PATTERN } from '@app/common';
import { WALLET_LABEL_PATTERN } from '@app/wallets';

/**
 * The paying hot wallet, by address or label. Its shape is in the pattern; that it names a registered,
 * enabled wallet is what `format: hot-wallet` says (an unknown one is USDT_ERR_100).
 */
const PAYING_WALLET_SCHEMA = {
  description: 'Paying hot wallet (address or label); the default wallet when omitted',
  maxLength: 64,
  format: 'hot-wallet',
  pattern: `^(${TRON_ADDRESS_PATTERN.slice(1, -1)}|${WALLET_LABEL_PATTERN.source.slice(1, -1)})$`,
  example: 'default',
};

/** What every payout states, alone or as a batch item. */
class PayoutFields {
  @ApiProperty({ example: '12.5', description: 'USDT as a decimal string, > 0, at most 6 decimals' })
  @IsUsdtAmount()
  amount!: string;

  @ApiPropertyOptional({
    description: 'Free text kept with the transfer (not sent on chain)',
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @IsPlainText()
  memo?: string;

  @ApiPropertyOptional({ description: 'Your own reference, e.g. an invoice or payout id', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @IsPlainText()
  reference?: string;
}

class OperationFields extends PayoutFields {
  @ApiPropertyOptional(PAYING_WALLET_SCHEMA)
  @IsOptional()
  @IsString()
  @MaxLength(64)
  wallet?: string;

  @ApiPropertyOptional({
    description:
      'A move between two of our own hot wallets (a rebalance): required when the destination is one of ' +
      'them, refused (USDT_ERR_107) when it is not. Limits and approvals apply as to any payout. ' +
      'false when left out (no `default` here: generated clients would then make the field required).',
  })
  @IsOptional()
  @IsBoolean()
  internal?: boolean;
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

export class BatchItemDto extends PayoutFields {
  @ApiProperty({ example: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', description: 'Recipient (base58)' })
  @IsTronAddress()
  to!: string;
}

export class CreateBatchDto {
  @ApiPropertyOptional(PAYING_WALLET_SCHEMA)
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
