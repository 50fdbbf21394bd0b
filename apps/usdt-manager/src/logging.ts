import type { Params } from 'nestjs-pino';
import { pino, stdSerializers } from 'pino';

import { currentHttpRequest } from '@app/common';
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
export interface RawRequest {
  id: string;
  method: string;
  url: string;
  originalUrl?: string;
  socket?: { remoteAddress?: string };
}

/** The request as every line logged on its behalf shows it. */
function requestFields(req: RawRequest) {
  return {
    id: req.id,
    method: req.method,
    url: req.originalUrl ?? req.url,
    remoteAddress: req.socket?.remoteAddress,
  };
}

/**
 * nestjs-pino's logger, built here, with no per-request middleware of its own: pino-http's request logger
 * made a child logger with the request serialized and redacted, three listeners and an AsyncLocalStorage
 * context for each request, whether or not a line was then written (about a tenth of a cached read's CPU,
 * bench/http.bench.ts). Lines logged while serving a request carry it through `mixin`, from the request
 * context the app already keeps; the access line is `accessLogMiddleware`'s.
 */
export function loggerParams(level: LogLevel): Params {
  const logger = pino({
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // The request a line was logged for, by the `req` serializer; an access line names its own.
    mixin: () => {
      const req = currentHttpRequest();
      return req ? { req } : {};
    },
    serializers: {
      req: requestFields,
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: stdSerializers.err,
    },
  });
  return { pinoHttp: { logger }, useExisting: true, forRoutes: [] };
}
