import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

import { IsOptionalDate, IsPageLimit } from '@app/common';

export class ListAuditQuery {
  @ApiPropertyOptional({ description: 'exact action, e.g. transfer.confirmed or policies.replace' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  action?: string;
  @ApiPropertyOptional({ description: 'actor id: a JWT subject, or system / system:<component>' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  actorId?: string;
  @ApiPropertyOptional({ description: 'subject type, e.g. transfer or policies' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  subjectType?: string;
  @ApiPropertyOptional({ description: 'subject id, e.g. a transfer id' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  subjectId?: string;
  @IsOptionalDate('recorded at or after (ISO 8601)')
  from?: Date;
  @IsOptionalDate('recorded before (ISO 8601)')
  until?: Date;
  @IsPageLimit()
  limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page: records below this seq' })
  @IsOptional()
  @IsString()
  @Matches(/^[1-9][0-9]{0,14}$/, { message: 'cursor must be a nextCursor this service returned' })
  cursor?: string;
}
