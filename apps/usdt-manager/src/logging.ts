import type { Params } from 'nestjs-pino';

import { assignRequestId } from '@app/common';
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

export function loggerParams(level: LogLevel): Params {
  return {
    pinoHttp: {
      level,
      genReqId: assignRequestId,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // Probe traffic would drown everything else at info level.
      autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
      serializers: {
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
