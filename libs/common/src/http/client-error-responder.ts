import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

import { ErrorBody } from '../errors/all-exceptions.filter';
import { ErrorCatalogue } from '../errors/error-catalogue';
import { ErrorCode } from '../errors/error-codes';

/**
 * Requests Node's HTTP parser refuses before any application code runs (headers over the size limit, a
 * request line it cannot parse) would get Node's bare `431`/`400` with no body. This answers them in the one
 * error shape instead, with the status Node would have used and USDT_ERR_100: the request itself is wrong.
 */
export function answerClientErrorsInErrorShape(server: Server, catalogue: ErrorCatalogue): void {
  const entry = catalogue.get(ErrorCode.VALIDATION_FAILED);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or timed-out connection has nobody left to answer.
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body: ErrorBody = {
      error: {
        code: ErrorCode.VALIDATION_FAILED,
        message: tooLarge ? 'Request headers too large' : 'Malformed HTTP request',
        details: [],
        retryable: entry.retryPolicy !== 'no_retry',
        retryPolicy: entry.retryPolicy,
        requestId: randomUUID(),
      },
    };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(json)}\r\n` +
        `X-Request-Id: ${body.error.requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        json,
    );
  });
}
