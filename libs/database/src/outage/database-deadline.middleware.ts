import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

import { AppError, ErrorCode } from '@app/common';

import { DatabaseAvailability } from './database-availability';

/** After this long a request still waiting while the database is unreachable is answered 503. */
export const DATABASE_DEADLINE_MS = 3_500;
const RECHECK_MS = 100;

/**
 * Every route answers within 5 s while the database is down or hung. The driver's timeouts end each
 * operation on their own (database.module.ts), but under load a request can queue for connections and
 * server selections one after another; this bounds the whole request instead. It answers USDT_ERR_600 only
 * when the database is the reason: a request that is slow for another cause (a TRON node call) keeps going.
 *
 * The handler is not cancelled, only no longer awaited. A money request cut off this way may still complete
 * once the database answers: that is the "stored complete" outcome, and its retry with the same
 * Idempotency-Key replays it (identical keys are taken one after another, see RequestOperation).
 */
@Injectable()
export class DatabaseDeadlineInterceptor implements NestInterceptor {
  constructor(private readonly availability: DatabaseAvailability) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return new Observable((subscriber) => {
      let recheck: NodeJS.Timeout | undefined;
      const giveUpIfUnreachable = () => {
        if (!this.availability.unreachable) return;
        subscriber.error(new AppError(ErrorCode.DATABASE_UNAVAILABLE, 'database unavailable'));
      };
      const deadline = setTimeout(() => {
        giveUpIfUnreachable();
        recheck = setInterval(giveUpIfUnreachable, RECHECK_MS);
      }, DATABASE_DEADLINE_MS);
      const handled = next.handle().subscribe(subscriber);
      return () => {
        clearTimeout(deadline);
        clearInterval(recheck);
        handled.unsubscribe();
      };
    });
  }
}
