import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { IsPlainText } from '@app/common';

export class DisableWalletDto {
  @ApiProperty({
    minLength: 3,
    maxLength: 500,
    description: 'Why the wallet must stop signing (audited, shown in listings)',
  })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @IsPlainText()
  reason!: string;
}

export class EnableWalletDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsPlainText()
  comment?: string;
}

/** The disable/enable state of one hot wallet. */
export class WalletControlViewDto {
  @ApiProperty({ example: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8' }) address!: string;
  @ApiProperty({ example: 'payouts-2' }) label!: string;
  @ApiProperty({ description: 'True while it signs nothing' }) disabled!: boolean;
  @ApiProperty({ type: String, nullable: true }) disabledReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) disabledBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt!: string | null;
  @ApiProperty({ type: [String], description: 'Admins who asked to enable it again' }) enableVotes!: string[];
}

export class EnableOutcomeDto extends WalletControlViewDto {
  @ApiProperty({ description: 'True when this vote reached the quorum and the wallet signs again' })
  enabled!: boolean;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Distinct admins still needed', example: 1 })
  votesNeeded!: number;
}
