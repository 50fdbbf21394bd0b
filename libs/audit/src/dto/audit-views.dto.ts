import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// The OpenAPI description of what the audit routes return.

/** Any JSON value or null: a record's before / after / details are whatever the action recorded. */
const ANY_JSON = {
  nullable: true,
  oneOf: [
    { type: 'object' },
    { type: 'array', items: {} },
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
  ],
};

class AuditActorDto {
  @ApiProperty({ description: 'JWT subject, or system:<component>' }) id!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiPropertyOptional() ip?: string;
  @ApiPropertyOptional() requestId?: string;
}

class AuditSubjectDto {
  @ApiProperty({ example: 'transfer' }) type!: string;
  @ApiProperty() id!: string;
}

export class AuditRecordDto {
  @ApiProperty({ minimum: 1 }) seq!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'transfer.confirmed' }) action!: string;
  @ApiPropertyOptional({ type: AuditSubjectDto }) subject?: AuditSubjectDto;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiPropertyOptional({ ...ANY_JSON, description: 'State before the action (secrets removed)' })
  before?: unknown;
  @ApiPropertyOptional({ ...ANY_JSON, description: 'State after the action (secrets removed)' })
  after?: unknown;
  @ApiPropertyOptional(ANY_JSON) details?: unknown;
  @ApiProperty({ description: 'hash of the previous record' }) prevHash!: string;
  @ApiProperty({ description: 'sha256 over this record and prevHash' }) hash!: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditRecordDto] }) items!: AuditRecordDto[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next (older) page; absent on the last' })
  nextCursor?: string;
}

class BrokenLinkDto {
  @ApiProperty() seq!: number;
  @ApiProperty({ description: 'What is wrong with the record' }) reason!: string;
}

export class ChainVerificationDto {
  @ApiProperty({ description: 'Every record and link recomputes' }) ok!: boolean;
  @ApiProperty({ description: 'Records found intact (before the break, if any)' }) records!: number;
  @ApiPropertyOptional({ description: 'When ok' }) lastSeq?: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'When ok; null for an empty trail' })
  lastHash?: string | null;
  @ApiPropertyOptional({ type: BrokenLinkDto, description: 'When not ok' }) firstBroken?: BrokenLinkDto;
}
