import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';

import { assignRequestId, refusalOf } from '@app/common';
import { LogLevel } from '@app/config';

/**
 * Paths pino removes from every log line. Secrets never reach a log: tokens and cookies on requests, and any
 * field named like a key or secret anywhere in a logged object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.privateKey',
  '*.encryptedKey',
  '*.secret',
  '*.password',
  '*.token',
  '*.masterKey',
];

/** What the request serializer reads of Node's (Express's) request. */
interface RawRequest {
  id: string;
  method: string;
  url: string;
  originalUrl?: string;
  socket?: { remoteAddress?: string };
}

export function loggerParams(level: LogLevel): Params {
  return {
    // Probe and scrape traffic would drown everything else at info level, and a request logger costs each
    // of them a child logger and a finish hook (about a tenth of /health/live's CPU, bench/http.bench.ts):
    // these routes get no request logging at all. Their X-Request-Id comes from requestIdMiddleware.
    exclude: [
      { path: 'health', method: RequestMethod.ALL },
      { path: 'health/*path', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.ALL },
    ],
    pinoHttp: {
      level,
      genReqId: assignRequestId,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // A request refused by a condition of the moment (emergency stop, node away: the filter notes it) is one
      // warn line with its code; a real failure is error, its stack logged once by the exception filter.
      customLogLevel: (_req, res, err) =>
        refusalOf(res)
          ? 'warn'
          : err || res.statusCode >= 500
            ? 'error'
            : res.statusCode >= 400
              ? 'warn'
              : 'info',
      customErrorMessage: (req, res) => {
        const refusal = refusalOf(res);
        return refusal
          ? `${req.method} ${req.url} refused: ${refusal.code} ${refusal.message}`
          : `${req.method} ${req.url} failed with status code ${res.statusCode}`;
      },
      // pino-http makes up an Error ("failed with status code 503") for every 5xx answer; its stack points into
      // pino-http itself and says nothing the status does not. Only a real error object is kept.
      customErrorObject: (_req, res, err, value: Record<string, unknown>) => {
        const synthetic = err.message === `failed with status code ${res.statusCode}`;
        const refusal = refusalOf(res);
        const { err: _dropped, ...rest } = value;
        if (refusal) return { ...rest, code: refusal.code };
        return synthetic ? rest : value;
      },
      // Our serializers take the raw request and response: pino-http would otherwise first build its
      // standard request object (every header copied) for each request's logger, only for these to pick four
      // fields of it. That copy was a fifth of the request logger's CPU.
      wrapSerializers: false,
      serializers: {
        req: (req: RawRequest) => ({
          id: req.id,
          method: req.method,
          url: req.originalUrl ?? req.url,
          remoteAddress: req.socket?.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: stdSerializers.err,
      },
    },
  };
}
