import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { IsPageLimit, IsTronAddress } from '@app/common';

import { SCREENING_CURSOR_PATTERN } from '../domain/screening-cursor';
import { MAX_REASON_LENGTH, MAX_SOURCE_LENGTH, SCREENING_LISTS, ScreeningList } from '../domain/screening';
import { ScreeningEntryView } from '../use-cases/views';

/** A source names a feed or a process: letters, digits and `._:-`, no spaces. */
const SOURCE_PATTERN = /^[A-Za-z0-9._:-]+$/;
const SOURCE_RULE = 'letters, digits and ._:- only';

export class ScreeningEntryInput {
  @ApiProperty({ example: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8' })
  @IsTronAddress()
  address!: string;

  @ApiPropertyOptional({ maxLength: MAX_REASON_LENGTH, example: 'OFAC SDN list' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON_LENGTH)
  reason?: string;
}

export class AddScreeningEntriesDto {
  @ApiProperty({ enum: SCREENING_LISTS })
  @IsIn(SCREENING_LISTS)
  list!: ScreeningList;

  @ApiProperty({ type: [ScreeningEntryInput], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => ScreeningEntryInput)
  entries!: ScreeningEntryInput[];

  @ApiPropertyOptional({
    default: 'manual',
    maxLength: MAX_SOURCE_LENGTH,
    pattern: SOURCE_PATTERN.source,
    example: 'ofac-2026-11',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SOURCE_LENGTH)
  @Matches(SOURCE_PATTERN, { message: `source must be ${SOURCE_RULE}` })
  source?: string;
}

export class ListScreeningQuery {
  @ApiPropertyOptional({ enum: SCREENING_LISTS, description: 'Both lists when left out' })
  @IsOptional()
  @IsIn(SCREENING_LISTS)
  list?: ScreeningList;

  @IsPageLimit()
  limit?: number;

  @ApiPropertyOptional({
    description: 'nextCursor of the previous page',
    pattern: SCREENING_CURSOR_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @Matches(SCREENING_CURSOR_PATTERN, { message: 'cursor must be a nextCursor this service returned' })
  cursor?: string;
}

/** Query of the import: the list and source of a CSV body (a JSON body may name its list itself). */
export class ImportScreeningQuery {
  @ApiProperty({
    enum: SCREENING_LISTS,
    description: 'The list the CSV rows go on (a JSON body may name it instead)',
  })
  @IsOptional()
  @IsIn(SCREENING_LISTS)
  list?: ScreeningList;

  @ApiPropertyOptional({ default: 'import', maxLength: MAX_SOURCE_LENGTH, pattern: SOURCE_PATTERN.source })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SOURCE_LENGTH)
  @Matches(SOURCE_PATTERN, { message: `source must be ${SOURCE_RULE}` })
  source?: string;
}

export class ScreeningEntryParams {
  @ApiProperty({ enum: SCREENING_LISTS })
  @IsIn(SCREENING_LISTS)
  list!: ScreeningList;

  @ApiProperty({ example: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8' })
  @IsTronAddress()
  address!: string;
}

export class ScreeningEntryViewDto implements ScreeningEntryView {
  @ApiProperty() address!: string;
  @ApiProperty({ enum: SCREENING_LISTS }) list!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty() source!: string;
  @ApiProperty() addedBy!: string;
  @ApiProperty({ format: 'date-time' }) addedAt!: string;
}

export class ScreeningPageDto {
  @ApiProperty({ type: [ScreeningEntryViewDto] }) items!: ScreeningEntryViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ScreeningAddResultDto {
  @ApiProperty({ enum: SCREENING_LISTS }) list!: string;
  @ApiProperty({ type: [ScreeningEntryViewDto] }) entries!: ScreeningEntryViewDto[];
}

export class RemovedEntryDto {
  @ApiProperty({ enum: SCREENING_LISTS }) list!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ description: 'Whether the address was on the list' }) removed!: boolean;
}

class AcceptedRowDto {
  @ApiProperty() row!: number;
  @ApiProperty() address!: string;
  @ApiProperty({ description: 'Not on the list before (otherwise its entry was refreshed)' })
  created!: boolean;
}

class InvalidRowDto {
  @ApiProperty() row!: number;
  @ApiPropertyOptional() address?: string;
  @ApiProperty() message!: string;
}

export class ImportReportDto {
  @ApiProperty({ enum: SCREENING_LISTS }) list!: string;
  @ApiProperty() source!: string;
  @ApiProperty() rows!: number;
  @ApiProperty() acceptedCount!: number;
  @ApiProperty() invalidCount!: number;
  @ApiProperty({ type: [AcceptedRowDto] }) accepted!: AcceptedRowDto[];
  @ApiProperty({ type: [InvalidRowDto] }) invalid!: InvalidRowDto[];
}
