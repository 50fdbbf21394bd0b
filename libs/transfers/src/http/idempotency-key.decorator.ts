import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

import { AppError, ErrorCode } from '@app/common';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/** The required Idempotency-Key header of a money-moving POST; USDT_ERR_104 when missing or malformed. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw new AppError(ErrorCode.INVALID_IDEMPOTENCY_KEY, undefined, [
      { field: 'Idempotency-Key', message: 'required header of 8 to 128 characters [A-Za-z0-9_.:-]' },
    ]);
  }
  return value;
});
