import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

import { WALLET_LABEL_PATTERN, WALLET_LABEL_RULE } from '../domain/wallet';

/**
 * Body of POST /wallets. Validation messages are fixed strings: class-validator's defaults for @Matches
 * would be fine too, but a message must never interpolate `$value` here, since the value is a private key.
 */
export class ImportWalletDto {
  @ApiProperty({
    description: 'The private key, 64 hexadecimal characters. Stored only encrypted; never returned.',
    pattern: '^[0-9a-fA-F]{64}$',
    // A valid key is also between 1 and the secp256k1 order; the format names that rule.
    format: 'secp256k1-private-key',
    writeOnly: true,
  })
  @IsString({ message: 'privateKey must be a string' })
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'privateKey must be 64 hexadecimal characters' })
  privateKey!: string;

  @ApiProperty({
    description: `A unique name for the wallet: ${WALLET_LABEL_RULE}`,
    pattern: WALLET_LABEL_PATTERN.source,
    example: 'payouts-1',
  })
  @IsString({ message: 'label must be a string' })
  @Matches(WALLET_LABEL_PATTERN, { message: `label must be ${WALLET_LABEL_RULE}` })
  label!: string;
}
