import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

// The OpenAPI description of the probe bodies: Terminus' own shape, and the service's /, /status.

const INDICATOR: SchemaObject = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['up', 'down'] } },
  required: ['status'],
};
const INDICATORS = {
  type: 'object' as const,
  additionalProperties: INDICATOR,
  description: 'Per indicator: `status` and its details',
};

export class HealthBodyDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status!: string;
  @ApiPropertyOptional({ ...INDICATORS, description: 'Indicators that are up' }) info?: object;
  @ApiPropertyOptional({ ...INDICATORS, description: 'Indicators that are down' }) error?: object;
  @ApiProperty(INDICATORS) details!: object;
}

class DegradedIndicatorDto {
  @ApiProperty({ example: 'tron' }) indicator!: string;
  @ApiProperty({ description: 'Why the indicator is down' }) message!: string;
}

/** /health: readiness plus the operational indicators, which degrade the service without a 503. */
export class FullHealthBodyDto {
  @ApiProperty({
    enum: ['ok', 'degraded', 'error', 'shutting_down'],
    description: '`degraded`: ready, but the TRON node, the pipeline or the hot wallets need an operator',
  })
  status!: string;
  @ApiPropertyOptional({ ...INDICATORS, description: 'Indicators that are up' }) info?: object;
  @ApiPropertyOptional({ ...INDICATORS, description: 'Indicators that are down' }) error?: object;
  @ApiProperty(INDICATORS) details!: object;
  @ApiProperty({
    type: [DegradedIndicatorDto],
    description: 'Operational indicators that are down, each with its reason',
  })
  degraded!: DegradedIndicatorDto[];
  @ApiProperty({ type: [String], description: 'Warnings, e.g. a hot wallet running low on TRX' })
  warnings!: string[];
}

class HealthLinksDto {
  @ApiProperty() all!: string;
  @ApiProperty() live!: string;
  @ApiProperty() ready!: string;
}

export class ServiceRootDto {
  @ApiProperty() service!: string;
  @ApiProperty() description!: string;
  @ApiProperty() version!: string;
  @ApiProperty({ example: '/api/v1/tron/usdt' }) api!: string;
  @ApiProperty() docs!: string;
  @ApiProperty({ type: HealthLinksDto }) health!: HealthLinksDto;
  @ApiProperty() status!: string;
  @ApiProperty() metrics!: string;
}

class DatabaseStatusDto {
  @ApiProperty({ example: 'embedded' }) engine!: string;
  @ApiProperty() name!: string;
}

class NetworkStatusDto {
  @ApiProperty({ example: 'devnet' }) name!: string;
  @ApiProperty({ description: 'Without credentials' }) fullHost!: string;
  @ApiProperty() solidityHost!: string;
  @ApiProperty() eventHost!: string;
  @ApiProperty({ type: String, nullable: true }) usdtContract!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The Multicall that batches blacklist checks (TRON_MULTICALL_ADDRESS); null: one call per address',
  })
  multicallContract!: string | null;
}

class EmergencySummaryDto {
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) since!: string | null;
}

class TronNodeStatusDto {
  @ApiProperty({ description: 'The node answers and its head advances' }) up!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why it is down; null while up' })
  reason!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) headNumber!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) headAgeMs!: number | null;
  @ApiProperty({ format: 'date-time' }) checkedAt!: string;
}

class DisabledWalletStatusDto {
  @ApiProperty() address!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) since!: string | null;
  @ApiProperty({ type: 'integer', description: 'Distinct admins who voted to enable it again' })
  enableVotes!: number;
}

export class ServiceStatusDto {
  @ApiProperty() service!: string;
  @ApiProperty() version!: string;
  @ApiProperty({ example: 'production' }) environment!: string;
  @ApiProperty() uptimeSeconds!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty() shuttingDown!: boolean;
  @ApiProperty({ type: DatabaseStatusDto }) database!: DatabaseStatusDto;
  @ApiProperty({ type: NetworkStatusDto }) network!: NetworkStatusDto;
  @ApiProperty({ type: TronNodeStatusDto }) tronNode!: TronNodeStatusDto;
  @ApiProperty({ type: [String], nullable: true, description: 'null when the database cannot be read' })
  hotWallets!: string[] | null;
  @ApiProperty({
    type: [DisabledWalletStatusDto],
    nullable: true,
    description: 'Wallets admins took out of service; null when the database cannot be read',
  })
  disabledWallets!: DisabledWalletStatusDto[] | null;
  @ApiProperty({ type: EmergencySummaryDto, nullable: true }) emergencyStop!: EmergencySummaryDto | null;
}
