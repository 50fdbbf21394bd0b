import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** `:id` of a transfer: a UUID, so anything else is USDT_ERR_100 before a lookup. */
export class TransferIdParams {
  @ApiProperty({ format: 'uuid', example: '0b8f3c52-6d1e-4a8e-9d51-3f1f0a6b9c21' })
  @IsUUID()
  id!: string;
}
