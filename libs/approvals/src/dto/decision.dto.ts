import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { IsPlainText } from '@app/common';

export class ApproveDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsPlainText()
  comment?: string;
}

export class RejectDto {
  @ApiProperty({
    minLength: 3,
    maxLength: 500,
    description: 'Why the transfer is refused (kept on the transfer and audited)',
  })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @IsPlainText()
  // class-validator checks IsDefined before the others and stops there: a missing comment is named as
  // missing, not reported as a format problem of a value that is not there.
  @IsDefined({ message: 'comment is required' })
  comment!: string;
}

export class EmergencyStopDto {
  @ApiProperty({ minLength: 3, maxLength: 500, description: 'Why all outgoing operations are halted' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @IsPlainText()
  reason!: string;
}

export class ResumeDto extends ApproveDto {}
