import { ApiProperty } from '@nestjs/swagger';

import { IsTronAddress, IsTxId } from '@app/common';

// Path parameters validated like bodies, so a bad one is USDT_ERR_101/103 from the validation pipe.

export class AddressParams {
  @ApiProperty({ example: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' }) @IsTronAddress() address!: string;
}

export class AllowanceParams {
  @ApiProperty() @IsTronAddress() owner!: string;
  @ApiProperty() @IsTronAddress() spender!: string;
}

export class TxidParams {
  @ApiProperty({ description: '64 hexadecimal characters' }) @IsTxId() txid!: string;
}
