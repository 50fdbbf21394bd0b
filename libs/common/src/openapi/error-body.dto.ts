import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { ErrorCode } from '../errors/error-codes';

const RETRY_POLICIES = ['no_retry', 'linear', 'exponential_backoff'];

/** One problem with one part of a request (a field, a batch item, a limit). */
export class ErrorDetailDto {
  @ApiPropertyOptional({ description: 'The field (dotted path) the problem is about', example: 'amount' })
  field?: string;

  @ApiProperty({ example: 'must have at most 6 decimals' })
  message!: string;
}

/** The inside of every error answer; the filter (AllExceptionsFilter) writes exactly these fields. */
export class ErrorPayloadDto {
  @ApiProperty({
    enum: Object.values(ErrorCode),
    description: 'Catalogue code (config/usdt-error-codes.yaml)',
  })
  code!: string;

  @ApiProperty({ description: 'What went wrong, for people; never a secret or an internal detail' })
  message!: string;

  @ApiProperty({ type: [ErrorDetailDto] })
  details!: ErrorDetailDto[];

  @ApiProperty({ description: 'Whether the same request may succeed later' })
  retryable!: boolean;

  @ApiProperty({ enum: RETRY_POLICIES })
  retryPolicy!: string;

  @ApiProperty({ description: 'Quote it when reporting a problem (also the X-Request-Id header)' })
  requestId!: string;
}

/** The one error shape: `{ error: { code, message, details, retryable, retryPolicy, requestId } }`. */
export class ErrorBodyDto {
  @ApiProperty({ type: ErrorPayloadDto })
  error!: ErrorPayloadDto;
}
