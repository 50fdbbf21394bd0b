import { ApiProperty } from '@nestjs/swagger';

import { WalletListingDto } from '@app/wallets';

// The OpenAPI description of what TransferStats returns.

class StatusFigureDto {
  @ApiProperty() count!: number;
  @ApiProperty({ example: '1250.5' }) amount!: string;
  @ApiProperty({ pattern: '^[0-9]+$' }) amountRaw!: string;
}

class DayFigureDto {
  @ApiProperty({ example: '2026-12-01', description: 'UTC day' }) day!: string;
  @ApiProperty() count!: number;
  @ApiProperty() amount!: string;
  @ApiProperty() confirmedAmount!: string;
}

export class StatsDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the first UTC day counted' }) since!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/StatusFigureDto' },
    description: 'Per transfer status that occurred in the window',
  })
  byStatus!: Record<string, StatusFigureDto>;
  @ApiProperty({ type: [DayFigureDto] }) byDay!: DayFigureDto[];
  @ApiProperty({ description: 'Transfers approved, signed or broadcast' }) inFlight!: number;
  @ApiProperty() pendingApproval!: number;
  @ApiProperty({ type: [WalletListingDto] }) wallets!: WalletListingDto[];
}

/** Referenced by StatsDto.byStatus, which swagger cannot describe from a class. */
export const STATS_MODELS = [StatusFigureDto];
