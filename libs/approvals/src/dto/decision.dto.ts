import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

// Shown in dashboards and the audit trail: no control characters.
// eslint-disable-next-line no-control-regex
const TEXT = /^[^\u0000-\u001f]*$/;

export class ApproveDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(TEXT, { message: 'comment must not contain control characters' })
  comment?: string;
}

export class RejectDto {
  @ApiProperty({
    maxLength: 500,
    description: 'Why the transfer is refused (kept on the transfer and audited)',
  })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @Matches(TEXT, { message: 'comment must not contain control characters' })
  comment!: string;
}

export class EmergencyStopDto {
  @ApiProperty({ maxLength: 500, description: 'Why all outgoing operations are halted' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @Matches(TEXT, { message: 'reason must not contain control characters' })
  reason!: string;
}

export class ResumeDto extends ApproveDto {}
