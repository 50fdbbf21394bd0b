import { ApiProperty } from '@nestjs/swagger';

import { WalletListing } from '../domain/wallet';

/** The OpenAPI description of a listed wallet; the controller returns plain `WalletListing` objects. */
export class WalletListingDto implements WalletListing {
  @ApiProperty({ example: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8' }) address!: string;
  @ApiProperty({ example: 'default' }) label!: string;
  @ApiProperty({ description: 'Id of the master key the private key is encrypted under', example: 'k1' })
  keyId!: string;
  @ApiProperty({ description: 'Disabled wallets are never chosen to pay' }) disabled!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was disabled; null while enabled' })
  disabledReason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Admin who disabled it; null while enabled' })
  disabledBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt!: string | null;
  @ApiProperty({ type: [String], description: 'Admins who asked to enable it again' })
  enableVotes!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'USDT, decimal string; null if unavailable',
    example: '1250.5',
  })
  usdt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'USDT base units (6 decimals)',
    example: '1250500000',
  })
  usdtRaw!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'TRX in sun (1 TRX = 1,000,000 sun)',
    example: '100000000',
  })
  trxSun!: string | null;
}
