import { Injectable, NestMiddleware } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { NextFunction, Request, Response } from 'express';

import { AllExceptionsFilter, AppError, ErrorCatalogue, ErrorCode } from '@app/common';

import { DatabaseAvailability } from './database-availability';

/** After this long a request still waiting while the database is unreachable is answered 503. */
export const DATABASE_DEADLINE_MS = 3_500;
const RECHECK_MS = 100;

/**
 * Every route answers within 5 s while the database is down or hung. The driver's timeouts end each
 * operation on their own (database.module.ts), but under load a request can queue for connections and
 * server selections one after another; this bounds the whole request, guards included (the IP allow-list
 * and the rate limits read the database too). It answers USDT_ERR_600 only when the database is the reason:
 * a request that is slow for another cause (a TRON node call) keeps going.
 *
 * A middleware rather than an interceptor: one timer per request, where any global interceptor makes Nest
 * wrap every route in an rxjs pipeline and two async-resource bindings (about 15% of /health/live's CPU,
 * bench/http.bench.ts).
 *
 * The route is not cancelled, only no longer awaited: what it answers later is dropped. A money request cut
 * off this way may still complete once the database answers: that is the "stored complete" outcome, and its
 * retry with the same Idempotency-Key replays it (identical keys are taken one after another, see
 * RequestOperation).
 */
@Injectable()
export class DatabaseDeadlineMiddleware implements NestMiddleware {
  /** The one writer of error responses, so this answer has the shape, headers and log line of any other. */
  private readonly errors: AllExceptionsFilter;

  constructor(
    private readonly availability: DatabaseAvailability,
    catalogue: ErrorCatalogue,
  ) {
    this.errors = new AllExceptionsFilter(catalogue);
  }

  use(req: Request, res: Response, next: NextFunction): void {
    let recheck: NodeJS.Timeout | undefined;
    const stop = () => {
      clearTimeout(deadline);
      clearInterval(recheck);
    };
    const giveUpIfUnreachable = () => {
      if (!this.availability.unreachable || res.headersSent) return;
      stop();
      const unavailable = new AppError(ErrorCode.DATABASE_UNAVAILABLE, 'database unavailable');
      this.errors.catch(unavailable, new ExecutionContextHost([req, res, next]));
      // What the route and any guard still waiting would write later (headers, Nest's reply) is dropped: it
      // would otherwise throw ERR_HTTP_HEADERS_SENT and be logged as a failure.
      res.json = res.send = () => res;
      res.setHeader = () => res;
    };
    const deadline = setTimeout(() => {
      giveUpIfUnreachable();
      if (!res.headersSent) recheck = setInterval(giveUpIfUnreachable, RECHECK_MS);
    }, DATABASE_DEADLINE_MS);
    // 'close' comes after the response is sent and when the client goes away first.
    res.once('close', stop);
    next();
  }
}
