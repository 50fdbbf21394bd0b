import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, Level } from 'pino';

import { refusalOf } from '@app/common';

import { RawRequest } from './logging';

/**
 * Probe and scrape traffic would drown everything else at info level: `/health`, `/health/...` and `/metrics`
 * get no access line. Their X-Request-Id comes from requestIdMiddleware like every other answer's.
 */
const UNLOGGED = /^\/(?:health|metrics)(?:[/?]|$)/;

/**
 * Express middleware: one line per answered request, when it is answered. A request refused by a condition
 * of the moment (emergency stop, node away: the exception filter notes it) is a warn line with its code; a
 * 5xx is error (its stack, if any, logged once by the exception filter); another 4xx warn; the rest info. A
 * line its level would drop costs nothing but the level check.
 */
export function accessLogMiddleware(logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (UNLOGGED.test(req.url ?? '')) return next();
    const startedAt = Date.now();
    res.once('close', () => writeAccessLine(logger, req as IncomingMessage & RawRequest, res, startedAt));
    next();
  };
}

function writeAccessLine(logger: Logger, req: RawRequest, res: ServerResponse, startedAt: number): void {
  const refusal = refusalOf(res);
  const answered = res.writableFinished;
  const level: Level =
    refusal || !answered ? 'warn' : res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const line = { req, res, responseTime: Date.now() - startedAt, ...(refusal && { code: refusal.code }) };
  const url = req.originalUrl ?? req.url;
  const message = refusal
    ? `${req.method} ${url} refused: ${refusal.code} ${refusal.message}`
    : !answered
      ? `${req.method} ${url} closed by the client before the answer was sent`
      : res.statusCode >= 400
        ? `${req.method} ${url} failed with status code ${res.statusCode}`
        : 'request completed';
  logger[level](line, message);
}
