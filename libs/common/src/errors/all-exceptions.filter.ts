import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  NotFoundException,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';

import { RoutedApp, ServedMethods } from '../http/method-not-allowed';
import { assignRequestId } from '../http/request-id';
import { AppError, ErrorDetail } from './app-error';
import { isDatabaseUnavailableError } from './database-unavailable';
import { ErrorCatalogue } from './error-catalogue';
import { ErrorCode } from './error-codes';

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details: ErrorDetail[];
    retryable: boolean;
    retryPolicy: string;
    requestId: string;
  };
}

interface Resolved {
  code: ErrorCode;
  status: number;
  message: string;
  details: ErrorDetail[];
  retryAfterSeconds?: number;
}

/**
 * The one place that writes error responses: every error leaves in the catalogue's shape with its code,
 * HTTP status, retry policy and the request id. Unknown errors become USDT_ERR_800 and never show their
 * message or stack to the caller; they are logged in full instead.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');
  private servedMethods: ServedMethods | undefined;

  constructor(
    @Inject(ErrorCatalogue) private readonly catalogue: ErrorCatalogue,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const requestId = assignRequestId(req, res);
    const resolved = this.resolve(this.methodNotAllowed(exception, req, res) ?? exception);
    const entry = this.catalogue.get(resolved.code);

    if (resolved.status >= 500) {
      if (exception instanceof AppError && entry.retryPolicy !== 'no_retry') {
        // A refusal of the moment (emergency stop, node or database away, shutting down) is no bug: no stack
        // here; the access log line of this request says it once, at warn, with the code (see logging.ts).
        markRefusal(res, { code: resolved.code, message: resolved.message });
      } else {
        this.logger.error(
          { err: exception, code: resolved.code, requestId },
          `${req.method} ${req.url} failed`,
        );
      }
    }
    if (res.headersSent) return;

    const retryAfter = resolved.retryAfterSeconds ?? entry.retryAfterSeconds;
    if (retryAfter && (resolved.status === 429 || resolved.status === 503)) {
      res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    }
    const body: ErrorBody = {
      error: {
        code: resolved.code,
        message: resolved.message,
        details: resolved.details,
        retryable: entry.retryPolicy !== 'no_retry',
        retryPolicy: entry.retryPolicy,
        requestId,
      },
    };
    res.status(resolved.status).json(body);
  }

  /**
   * A request no route took, on a path the service serves with other methods: 405 with `Allow`, not Nest's
   * 404 (which it throws, as `Cannot <METHOD> <url>`, from the handler behind every route).
   */
  private methodNotAllowed(exception: unknown, req: Request, res: Response): HttpException | undefined {
    if (!(exception instanceof NotFoundException)) return undefined;
    if (exception.message !== `Cannot ${req.method} ${req.originalUrl}`) return undefined;
    const app = this.adapterHost?.httpAdapter?.getInstance<RoutedApp>();
    if (!app) return undefined;
    this.servedMethods ??= new ServedMethods(app);
    const allowed = this.servedMethods.allowedOn(req);
    if (!allowed || allowed.includes(req.method)) return undefined;
    res.setHeader('Allow', allowed.join(', '));
    return new HttpException(`${req.method} is not allowed on ${req.path}`, HttpStatus.METHOD_NOT_ALLOWED);
  }

  private resolve(exception: unknown): Resolved {
    if (exception instanceof AppError) {
      const entry = this.catalogue.get(exception.code);
      return {
        code: exception.code,
        status: entry.httpStatus,
        message: exception.message === exception.code ? entry.message : exception.message,
        details: exception.details,
        retryAfterSeconds: exception.retryAfterSeconds,
      };
    }
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    const parserError = asBodyParserError(exception);
    if (parserError) return parserError;
    // The one mapping of driver connectivity failures, so that no repository can turn an outage into a 500.
    if (isDatabaseUnavailableError(exception)) return this.fromCode(ErrorCode.DATABASE_UNAVAILABLE);
    return this.fromCode(ErrorCode.INTERNAL);
  }

  /** The catalogue's own status and message, nothing from the exception (it may carry driver internals). */
  private fromCode(code: ErrorCode): Resolved {
    const entry = this.catalogue.get(code);
    return { code, status: entry.httpStatus, message: entry.message, details: [] };
  }

  /** Framework errors (unknown route, throttling, auth) mapped onto catalogue codes. */
  private fromHttpException(exception: HttpException): Resolved {
    const status = exception.getStatus();
    const byStatus: Partial<Record<number, ErrorCode>> = {
      [HttpStatus.UNAUTHORIZED]: ErrorCode.UNAUTHENTICATED,
      [HttpStatus.FORBIDDEN]: ErrorCode.FORBIDDEN_ROLE,
      [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RATE_LIMITED,
      [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.UNAVAILABLE,
    };
    const code = byStatus[status] ?? (status >= 500 ? ErrorCode.INTERNAL : ErrorCode.VALIDATION_FAILED);
    const entry = this.catalogue.get(code);
    // Unknown routes (404), wrong methods and oversized bodies (413) keep their HTTP status: proxies and
    // clients rely on it. Their code is USDT_ERR_100 because the request itself is what is wrong.
    const keepStatus = code === ErrorCode.VALIDATION_FAILED;
    return {
      code,
      status: keepStatus ? status : entry.httpStatus,
      message: status >= 500 ? entry.message : exception.message,
      details: [],
    };
  }
}

/** What the access log says about a request refused by a retryable condition instead of failing. */
export interface RefusalNote {
  code: ErrorCode;
  message: string;
}

const REFUSAL = Symbol.for('usdt-manager.refusal');

function markRefusal(res: Response, note: RefusalNote): void {
  (res as unknown as Record<symbol, RefusalNote>)[REFUSAL] = note;
}

/** The refusal the filter noted on this response, if any (read by the access log). */
export function refusalOf(res: object): RefusalNote | undefined {
  return (res as Record<symbol, RefusalNote | undefined>)[REFUSAL];
}

/** body-parser reports malformed JSON and oversized bodies with a `type` and a 4xx `status`. */
function asBodyParserError(exception: unknown): Resolved | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { type, status } = exception as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500)
    return undefined;
  const message =
    type === 'entity.parse.failed'
      ? 'Malformed JSON body'
      : type === 'entity.too.large'
        ? 'Request body too large'
        : 'Request body cannot be read';
  return { code: ErrorCode.VALIDATION_FAILED, status, message, details: [] };
}
