import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';

import { AppError, ErrorDetail } from '../errors/app-error';
import { ErrorCode } from '../errors/error-codes';

/**
 * The global validation pipe: whitelists DTO fields, refuses unknown ones, and turns class-validator failures
 * into one AppError whose code is the most specific one found (a bad address is USDT_ERR_101, a bad query
 * USDT_ERR_105, anything else USDT_ERR_100).
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (err) {
      if (err instanceof ValidationFailure) {
        const fallback = metadata.type === 'query' ? ErrorCode.INVALID_QUERY : ErrorCode.VALIDATION_FAILED;
        throw new AppError(err.specificCode ?? fallback, err.summary, err.details);
      }
      throw err;
    }
  }

  override createExceptionFactory() {
    return (errors: ValidationError[] = []) => new ValidationFailure(errors);
  }
}

class ValidationFailure extends Error {
  readonly details: ErrorDetail[] = [];
  readonly specificCode?: ErrorCode;
  readonly summary: string;

  constructor(errors: ValidationError[]) {
    super('validation failed');
    let specific: ErrorCode | undefined;
    const visit = (list: ValidationError[], prefix: string) => {
      for (const error of list) {
        const field = prefix ? `${prefix}.${error.property}` : error.property;
        for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
          this.details.push({ field, message });
          const code = (error.contexts?.[constraint] as { errorCode?: ErrorCode } | undefined)?.errorCode;
          specific ??= code;
        }
        if (error.children?.length) visit(error.children, field);
      }
    };
    visit(errors, '');
    this.specificCode = specific;
    this.summary = this.details.map((d) => d.message).join('; ') || 'request validation failed';
  }
}
