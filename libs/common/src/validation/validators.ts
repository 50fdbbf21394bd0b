import { registerDecorator, ValidationOptions } from 'class-validator';

import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-codes';
import { parseUsdtAmount } from '../money/usdt-amount';
import { isTronAddress, isTxId } from '../tron/tron-address';

/**
 * Validation decorators that carry their catalogue code in the constraint's context, so the validation pipe
 * can answer USDT_ERR_101 for a bad address rather than the generic USDT_ERR_100.
 */
function withCode(code: ErrorCode, options?: ValidationOptions): ValidationOptions {
  return { ...options, context: { ...(options?.context as object), errorCode: code } };
}

export function IsTronAddress(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isTronAddress',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: withCode(ErrorCode.INVALID_ADDRESS, options),
      validator: {
        validate: (value: unknown) => isTronAddress(value),
        defaultMessage: (args) => `${args?.property} must be a base58check TRON address (T...)`,
      },
    });
}

export function IsUsdtAmount(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
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
    });
}

export function IsTxId(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isTxId',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: withCode(ErrorCode.INVALID_TXID, options),
      validator: {
        validate: (value: unknown) => isTxId(value),
        defaultMessage: (args) => `${args?.property} must be 64 hexadecimal characters`,
      },
    });
}
