import { ApiProperty } from '@nestjs/swagger';

import { TRON_ADDRESS_SCHEMA } from '@app/common';

import { TransferViewDto } from './transfer-view.dto';

// The OpenAPI description of what ChainController returns.

const INTEGER_STRING = { type: String, pattern: '^[0-9]+$' } as const;
const NULLABLE_INTEGER_STRING = { ...INTEGER_STRING, nullable: true } as const;

export class ContractInfoDto {
  @ApiProperty(TRON_ADDRESS_SCHEMA) address!: string;
  @ApiProperty({ example: 'Tether USD' }) name!: string;
  @ApiProperty({ example: 'USDT' }) symbol!: string;
  @ApiProperty({ example: 6 }) decimals!: number;
  @ApiProperty({ description: 'USDT, decimal string' }) totalSupply!: string;
  @ApiProperty(INTEGER_STRING) totalSupplyRaw!: string;
  @ApiProperty({ example: 'devnet' }) network!: string;
}

export class BalanceDto {
  @ApiProperty(TRON_ADDRESS_SCHEMA) address!: string;
  @ApiProperty({ example: '1250.5', description: 'USDT, decimal string' }) balance!: string;
  @ApiProperty({ ...INTEGER_STRING, example: '1250500000' }) balanceRaw!: string;
  @ApiProperty({ ...INTEGER_STRING, description: 'TRX in sun' }) trxSun!: string;
}

export class AllowanceDto {
  @ApiProperty(TRON_ADDRESS_SCHEMA) owner!: string;
  @ApiProperty(TRON_ADDRESS_SCHEMA) spender!: string;
  @ApiProperty({ description: 'USDT, decimal string' }) allowance!: string;
  @ApiProperty(INTEGER_STRING) allowanceRaw!: string;
}

class Trc20TransferDto {
  @ApiProperty(TRON_ADDRESS_SCHEMA) from!: string;
  @ApiProperty(TRON_ADDRESS_SCHEMA) to!: string;
  @ApiProperty() amount!: string;
  @ApiProperty(INTEGER_STRING) amountRaw!: string;
}

export class TransactionViewDto {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) txid!: string;
  @ApiProperty({ description: 'The node knows the transaction' }) found!: boolean;
  @ApiProperty({ description: 'Its block is irreversible' }) solidified!: boolean;
  @ApiProperty({ type: Number, nullable: true }) blockNumber!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'milliseconds since the epoch' })
  blockTimestamp!: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'SUCCESS' }) result!: string | null;
  @ApiProperty(NULLABLE_INTEGER_STRING) energyUsed!: string | null;
  @ApiProperty(NULLABLE_INTEGER_STRING) feeSun!: string | null;
  @ApiProperty({ type: [Trc20TransferDto], description: 'USDT Transfer events in the receipt' })
  transfers!: Trc20TransferDto[];
  @ApiProperty({ type: TransferViewDto, nullable: true, description: 'Our transfer, when it is one' })
  transfer!: TransferViewDto | null;
}

class HistoryItemDto {
  @ApiProperty() txid!: string;
  @ApiProperty(TRON_ADDRESS_SCHEMA) from!: string;
  @ApiProperty(TRON_ADDRESS_SCHEMA) to!: string;
  @ApiProperty() amount!: string;
  @ApiProperty(INTEGER_STRING) amountRaw!: string;
  @ApiProperty({ description: 'milliseconds since the epoch' }) blockTimestamp!: number;
  @ApiProperty({ example: 'Transfer' }) type!: string;
}

export class HistoryPageDto {
  @ApiProperty({ type: [HistoryItemDto] }) items!: HistoryItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `fingerprint` for the next page' })
  nextFingerprint!: string | null;
}
