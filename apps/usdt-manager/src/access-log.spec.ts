import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';

import { accessLogMiddleware } from './access-log';

describe('accessLogMiddleware', () => {
  function setUp(level: pino.Level) {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino(
      {
        level,
        serializers: {
          req: (req: { id: string; url: string }) => ({ id: req.id, url: req.url }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      },
      sink,
    );
    const middleware = accessLogMiddleware(logger);
    /** One request through the middleware; `answer` ends it as the route would. */
    const serve = (url: string, answer: { status: number; finished?: boolean }) => {
      const req = { id: `id-${url}`, method: 'GET', url } as unknown as IncomingMessage;
      const res = Object.assign(new EventEmitter(), {
        statusCode: answer.status,
        writableFinished: answer.finished ?? true,
      });
      let nextCalled = false;
      middleware(req, res as unknown as ServerResponse, () => (nextCalled = true));
      res.emit('close');
      return { nextCalled, listeners: res.listenerCount('close') };
    };
    return { lines, serve };
  }

  it('writes one line per answered request, at the level its status calls for', () => {
    const { lines, serve } = setUp('info');

    expect(serve('/api/v1/tron/usdt/contract/info', { status: 200 }).nextCalled).toBe(true);
    serve('/api/v1/tron/usdt/transfers/x', { status: 404 });
    serve('/api/v1/tron/usdt/balance/T1', { status: 503 });
    serve('/api/v1/tron/usdt/transfers', { status: 200, finished: false });

    const expected = [
      [30, 'request completed', '/api/v1/tron/usdt/contract/info', 200],
      [
        40,
        'GET /api/v1/tron/usdt/transfers/x failed with status code 404',
        '/api/v1/tron/usdt/transfers/x',
        404,
      ],
      [
        50,
        'GET /api/v1/tron/usdt/balance/T1 failed with status code 503',
        '/api/v1/tron/usdt/balance/T1',
        503,
      ],
      [
        40,
        'GET /api/v1/tron/usdt/transfers closed by the client before the answer was sent',
        '/api/v1/tron/usdt/transfers',
        200,
      ],
    ] as const;
    expect(lines.map(({ level, msg, req, res }) => ({ level, msg, req, res }))).toEqual(
      expected.map(([level, msg, url, statusCode]) => ({
        level,
        msg,
        req: { id: `id-${url}`, url },
        res: { statusCode },
      })),
    );
    for (const line of lines) expect(line.responseTime).toEqual(expect.any(Number));
  });

  it('leaves the probes and the scrape unlogged, and only them', () => {
    const { lines, serve } = setUp('info');

    for (const url of ['/health', '/health/live', '/health/ready?x=1', '/metrics']) {
      const served = serve(url, { status: 200 });
      expect(served).toEqual({ nextCalled: true, listeners: 0 });
    }
    serve('/healthcheck', { status: 404 });
    serve('/status', { status: 200 });

    expect(lines.map((line) => (line.req as { url: string }).url)).toEqual(['/healthcheck', '/status']);
  });

  it('writes nothing for a success when the level is warn, and still the failures', () => {
    const { lines, serve } = setUp('warn');

    serve('/status', { status: 200 });
    serve('/api/v1/tron/usdt/transfers/x', { status: 404 });

    expect(lines.map((line) => line.msg)).toEqual([
      'GET /api/v1/tron/usdt/transfers/x failed with status code 404',
    ]);
  });
});
