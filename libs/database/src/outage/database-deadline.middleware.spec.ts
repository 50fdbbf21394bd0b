import { EventEmitter } from 'node:events';
import { join } from 'node:path';

import type { NextFunction, Request, Response } from 'express';

import { ErrorCatalogue, ErrorCode } from '@app/common';

import { DatabaseAvailability } from './database-availability';
import { DATABASE_DEADLINE_MS, DatabaseDeadlineMiddleware } from './database-deadline.middleware';

/** The monitor's verdict, set by the test. */
class FakeAvailability {
  unreachable = false;
}

/** As much of an Express response as the error writer uses; records what was sent. */
class RecordingResponse extends EventEmitter {
  headersSent = false;
  statusCode = 200;
  readonly headers: Record<string, string> = {};
  readonly sent: unknown[] = [];

  setHeader(name: string, value: string): this {
    // As Node's: ERR_HTTP_HEADERS_SENT once the answer is out.
    if (this.headersSent) throw new Error(`Cannot set header ${name} after they are sent`);
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  json(body: unknown): this {
    this.sent.push(body);
    this.headersSent = true;
    this.emit('close');
    return this;
  }
}

const catalogue = ErrorCatalogue.fromFile(join(__dirname, '../../../../config/usdt-error-codes.yaml'));

describe('DatabaseDeadlineMiddleware', () => {
  const availability = new FakeAvailability();
  const middleware = new DatabaseDeadlineMiddleware(
    availability as unknown as DatabaseAvailability,
    catalogue,
  );

  /** A request passed through the middleware; the route behind it answers only when the test says so. */
  function request() {
    const req = { method: 'GET', url: '/api/v1/transfers', originalUrl: '/api/v1/transfers', headers: {} };
    const res = new RecordingResponse();
    const next = jest.fn() as NextFunction;
    middleware.use(req as unknown as Request, res as unknown as Response, next);
    return { res, next, routeAnswers: (body: unknown) => (res as unknown as Response).json(body) };
  }

  beforeEach(() => {
    jest.useFakeTimers();
    availability.unreachable = false;
  });
  afterEach(() => jest.useRealTimers());

  it('answers 503 USDT_ERR_600 at the deadline when the database is unreachable, and drops the late answer', async () => {
    availability.unreachable = true;
    const { res, next, routeAnswers } = request();
    expect(next).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(DATABASE_DEADLINE_MS - 1);
    expect(res.sent).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(res.statusCode).toBe(503);
    expect(res.sent).toEqual([
      {
        error: expect.objectContaining({ code: ErrorCode.DATABASE_UNAVAILABLE, retryable: true }),
      },
    ]);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    // A guard that was still waiting sets its headers (the rate limits), then the route answers: both dropped.
    expect(() => (res as unknown as Response).setHeader('X-RateLimit-Limit', '100')).not.toThrow();
    routeAnswers({ late: true });
    expect(res.sent).toHaveLength(1);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('lets a slow route run on while the database answers, and cuts it off once the database goes away', async () => {
    const { res } = request();
    await jest.advanceTimersByTimeAsync(DATABASE_DEADLINE_MS + 2_000);
    expect(res.sent).toEqual([]);
    availability.unreachable = true;
    await jest.advanceTimersByTimeAsync(100);
    expect(res.statusCode).toBe(503);
    expect(res.sent).toHaveLength(1);
  });

  it('passes the route answer through unchanged when it comes in time, and leaves no timer behind', async () => {
    availability.unreachable = true;
    const { res, routeAnswers } = request();
    await jest.advanceTimersByTimeAsync(10);
    routeAnswers({ ok: true });
    expect(res.statusCode).toBe(200);
    expect(res.sent).toEqual([{ ok: true }]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
