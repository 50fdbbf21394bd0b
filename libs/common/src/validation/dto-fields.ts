import { applyDecorators } from '@nestjs/common';
import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { Equals, IsDate, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** Page sizes every listing accepts. */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

/** The optional `limit` query parameter of a listing: 1 to 200, 50 when left out. */
export function IsPageLimit(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      default: DEFAULT_PAGE_LIMIT,
      minimum: 1,
      maximum: MAX_PAGE_LIMIT,
    }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_PAGE_LIMIT),
  );
}

// eslint-disable-next-line no-control-regex
const PLAIN_TEXT = /^[^\u0000-\u001f]*$/;

/**
 * Free text that is stored and shown in dashboards and the audit trail: no control characters (which also
 * rules out NUL, which the embedded engine cannot store).
 */
export function IsPlainText(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, pattern: '^[^\\u0000-\\u001f]*$' }),
    Matches(PLAIN_TEXT, { message: '$property must not contain control characters' }),
  );
}

/** An RFC 3339 date-time (OpenAPI `format: date-time`); `new Date()` alone would take "0.5" or "2020". */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** An optional ISO 8601 date query parameter (a listing's time window, e.g. `createdFrom`). */
export function IsOptionalDate(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, type: String, format: 'date-time' }),
    IsOptional(),
    // Anything else stays a string, which IsDate refuses (USDT_ERR_105).
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && DATE_TIME.test(value) ? new Date(value) : value,
    ),
    IsDate({ message: '$property must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z' }),
  );
}

/**
 * A query parameter that was renamed: sending the old name answers with the new one instead of "should not
 * exist", and the old name stays out of the OpenAPI document.
 */
export function RenamedTo(newName: string, why: string): PropertyDecorator {
  return applyDecorators(
    ApiHideProperty(),
    Equals(undefined, { message: `$property was renamed ${newName} (${why})` }),
  );
}
