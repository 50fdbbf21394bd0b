import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

import { IsOptionalDate, IsPageLimit } from '@app/common';

/** A seq as this service writes it. */
const CURSOR = /^[1-9][0-9]{0,14}$/;

export class ListAuditQuery {
  @ApiPropertyOptional({
    description: 'exact action, e.g. transfer.confirmed or policies.replace',
    minLength: 1,
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  action?: string;
  @ApiPropertyOptional({
    description: 'actor id: a JWT subject, or system / system:<component>',
    minLength: 1,
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  actorId?: string;
  @ApiPropertyOptional({
    description: 'subject type, e.g. transfer or policies',
    minLength: 1,
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  subjectType?: string;
  @ApiPropertyOptional({ description: 'subject id, e.g. a transfer id', minLength: 1, maxLength: 200 })
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
  @ApiPropertyOptional({
    description: 'nextCursor of the previous page: records below this seq',
    pattern: CURSOR.source,
  })
  @IsOptional()
  @IsString()
  @Matches(CURSOR, { message: 'cursor must be a nextCursor this service returned' })
  cursor?: string;
}
