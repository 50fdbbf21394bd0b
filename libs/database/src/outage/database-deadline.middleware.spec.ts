import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { firstValueFrom, Observable } from 'rxjs';

import { AppError } from '@app/common';

import { DatabaseAvailability } from './database-availability';
import { DATABASE_DEADLINE_MS, DatabaseDeadlineInterceptor } from './database-deadline.interceptor';

/** The monitor's verdict, set by the test. */
class FakeAvailability {
  unreachable = false;
}

/** A route handler that answers `value` after `ms`, and says whether it was unsubscribed. */
function handlerAnswering(value: string, ms: number) {
  const state = { unsubscribed: false };
  const handler: CallHandler = {
    handle: () =>
      new Observable<string>((subscriber) => {
        const timer = setTimeout(() => {
          subscriber.next(value);
          subscriber.complete();
        }, ms);
        return () => {
          clearTimeout(timer);
          state.unsubscribed = true;
        };
      }),
  };
  return { handler, state };
}

describe('DatabaseDeadlineInterceptor', () => {
  const availability = new FakeAvailability();
  const interceptor = new DatabaseDeadlineInterceptor(availability as unknown as DatabaseAvailability);
  const context = {} as ExecutionContext;

  beforeEach(() => {
    jest.useFakeTimers();
    availability.unreachable = false;
  });
  afterEach(() => jest.useRealTimers());

  it('answers USDT_ERR_600 at the deadline when the database is unreachable, and stops awaiting the route', async () => {
    availability.unreachable = true;
    const { handler, state } = handlerAnswering('late', 60_000);
    const answer = firstValueFrom(interceptor.intercept(context, handler));
    const settled = jest.fn();
    answer.catch(settled);
    await jest.advanceTimersByTimeAsync(DATABASE_DEADLINE_MS - 1);
    expect(settled).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await expect(answer).rejects.toMatchObject({ code: 'USDT_ERR_600' });
    await expect(answer).rejects.toBeInstanceOf(AppError);
    expect(state.unsubscribed).toBe(true);
  });

  it('lets a slow route run on while the database answers, and cuts it off once the database goes away', async () => {
    const { handler } = handlerAnswering('late', 60_000);
    const answer = firstValueFrom(interceptor.intercept(context, handler));
    const settled = jest.fn();
    answer.catch(settled);
    await jest.advanceTimersByTimeAsync(DATABASE_DEADLINE_MS + 2_000);
    expect(settled).not.toHaveBeenCalled();
    availability.unreachable = true;
    await jest.advanceTimersByTimeAsync(100);
    await expect(answer).rejects.toMatchObject({ code: 'USDT_ERR_600' });
  });

  it('passes the route answer through unchanged when it comes in time', async () => {
    availability.unreachable = true;
    const { handler } = handlerAnswering('ok', 10);
    const answer = firstValueFrom(interceptor.intercept(context, handler));
    await jest.advanceTimersByTimeAsync(10);
    await expect(answer).resolves.toBe('ok');
    // Nothing left behind to fire later.
    expect(jest.getTimerCount()).toBe(0);
  });
});
