import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

import { IsTronAddress } from '@app/common';
import { KYC_LEVELS, KycLevel } from '@app/policies';

import { MAX_REASON_LENGTH } from '../domain/screening';
import { KycView } from '../use-cases/views';

export class KycAddressParams {
  @ApiProperty({ example: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8' })
  @IsTronAddress()
  address!: string;
}

export class SetKycLevelDto {
  @ApiProperty({
    enum: KYC_LEVELS,
    description: 'Limits per level are in the security policies (kyc.levels)',
  })
  @IsIn(KYC_LEVELS)
  level!: KycLevel;

  @ApiPropertyOptional({ maxLength: MAX_REASON_LENGTH, example: 'passport and proof of address checked' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON_LENGTH)
  note?: string;
}

export class KycViewDto implements KycView {
  @ApiProperty() address!: string;
  @ApiProperty({ enum: KYC_LEVELS, description: '`none` for an address nobody classified' }) level!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, nullable: true }) updatedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) updatedAt!: string | null;
}
