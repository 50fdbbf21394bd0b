import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// The OpenAPI description of what the emergency-stop routes return.

class ResumeVoteDto {
  @ApiProperty() by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional() comment?: string;
}

export class EmergencyStateDto {
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) stoppedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) stoppedAt!: string | null;
  @ApiProperty({ type: [ResumeVoteDto] }) resumeVotes!: ResumeVoteDto[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resumedAt!: string | null;
}

export class ResumeOutcomeDto extends EmergencyStateDto {
  @ApiProperty({ description: 'This vote reached the quorum and signing resumed' }) resumed!: boolean;
  @ApiProperty({ description: 'Further distinct admins needed' }) votesNeeded!: number;
}
