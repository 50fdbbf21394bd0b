import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, ValidationOptions } from 'class-validator';

import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-codes';
import { parseUsdtAmount, USDT_AMOUNT_PATTERN } from '../money/usdt-amount';
import { isTronAddress, isTxId, TRON_ADDRESS_PATTERN, TXID_PATTERN } from '../tron/tron-address';

/**
 * Validation decorators that carry their catalogue code in the constraint's context, so the validation pipe
 * can answer USDT_ERR_101 for a bad address rather than the generic USDT_ERR_100.
 */
function withCode(code: ErrorCode, options?: ValidationOptions): ValidationOptions {
  return { ...options, context: { ...(options?.context as object), errorCode: code } };
}

/**
 * The OpenAPI schema of a validated field, merged with the `@ApiProperty` the DTO states (description,
 * required), so the document carries the rule the validator applies without repeating it in each DTO.
 */
function documented(schema: Record<string, unknown>, validator: PropertyDecorator): PropertyDecorator {
  return applyDecorators(ApiProperty({ type: String, ...schema }), validator);
}

/** A base58check TRON address. `format: tron-address` tells generators the checksum counts. */
export const TRON_ADDRESS_SCHEMA = {
  pattern: TRON_ADDRESS_PATTERN,
  format: 'tron-address',
  minLength: 34,
  maxLength: 34,
  example: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
};

export function IsTronAddress(options?: ValidationOptions): PropertyDecorator {
  return documented(TRON_ADDRESS_SCHEMA, (target, propertyKey) =>
    registerDecorator({
      name: 'isTronAddress',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: withCode(ErrorCode.INVALID_ADDRESS, options),
      validator: {
        validate: (value: unknown) => isTronAddress(value),
        defaultMessage: (args) => `${args?.property} must be a base58check TRON address (T...)`,
      },
    }),
  );
}

export function IsUsdtAmount(options?: ValidationOptions): PropertyDecorator {
  const schema = { pattern: USDT_AMOUNT_PATTERN, example: '12.5' };
  return documented(schema, (target, propertyKey) =>
    registerDecorator({
      name: 'isUsdtAmount',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: withCode(ErrorCode.INVALID_AMOUNT, options),
      validator: {
        validate(value: unknown) {
          try {
            parseUsdtAmount(value);
            return true;
          } catch (err) {
            if (err instanceof AppError) return false;
            throw err;
          }
        },
        defaultMessage: (args) =>
          `${args?.property} must be a decimal string greater than zero with at most 6 decimals, e.g. "12.5"`,
      },
    }),
  );
}

export function IsTxId(options?: ValidationOptions): PropertyDecorator {
  const schema = { pattern: TXID_PATTERN, example: 'a'.repeat(64) };
  return documented(schema, (target, propertyKey) =>
    registerDecorator({
      name: 'isTxId',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: withCode(ErrorCode.INVALID_TXID, options),
      validator: {
        validate: (value: unknown) => isTxId(value),
        defaultMessage: (args) => `${args?.property} must be 64 hexadecimal characters`,
      },
    }),
  );
}
