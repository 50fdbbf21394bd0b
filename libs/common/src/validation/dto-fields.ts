import { applyDecorators } from '@nestjs/common';
import { ApiHideProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsDate, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** Page sizes every listing accepts. */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

/** The optional `limit` query parameter of a listing: 1 to 200, 50 when left out. */
export function IsPageLimit(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ default: DEFAULT_PAGE_LIMIT, minimum: 1, maximum: MAX_PAGE_LIMIT }),
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
  return Matches(PLAIN_TEXT, { message: '$property must not contain control characters' });
}

/** An optional ISO 8601 date query parameter (a listing's time window, e.g. `createdFrom`). */
export function IsOptionalDate(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    Type(() => Date),
    IsDate(),
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
