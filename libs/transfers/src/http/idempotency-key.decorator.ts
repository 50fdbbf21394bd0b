import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';

import { ApiErrors, AppError, ErrorCode } from '@app/common';

const KEY_PATTERN = '^[A-Za-z0-9_.:-]{8,128}$';
const KEY = new RegExp(KEY_PATTERN);

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

/** The OpenAPI side of @IdempotencyKey(): the header with its rule, and the codes it can answer with. */
export function ApiIdempotencyKey(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description: 'Unique per operation; repeating it with the same body replays the original result',
      schema: { type: 'string', pattern: KEY_PATTERN, example: 'payout-2026-12-02-0001' },
    }),
    ApiErrors(ErrorCode.INVALID_IDEMPOTENCY_KEY, ErrorCode.IDEMPOTENCY_KEY_REUSED),
  );
}
