import type { ArgumentsHost } from '@nestjs/common';
import { MongoNetworkTimeoutError } from 'mongodb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AllExceptionsFilter, ErrorBody } from './all-exceptions.filter';
import { ErrorCatalogue } from './error-catalogue';

const catalogue = ErrorCatalogue.fromYaml(
  readFileSync(join(__dirname, '../../../../config/usdt-error-codes.yaml'), 'utf8'),
);

/** The bits of Express the filter touches, recording what it answered. */
function httpHost() {
  const answer: { status?: number; body?: ErrorBody; headers: Record<string, string> } = { headers: {} };
  const res = {
    headersSent: false,
    setHeader: (name: string, value: string) => (answer.headers[name.toLowerCase()] = value),
    status(code: number) {
      answer.status = code;
      return this;
    },
    json: (body: ErrorBody) => (answer.body = body),
  };
  const req = { method: 'GET', url: '/api/v1/tron/usdt/transfers', headers: {} };
  const host = {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
  return { host, answer };
}

describe('AllExceptionsFilter', () => {
  const filter = new AllExceptionsFilter(catalogue);
  // The filter logs 5xx in full; keep the test output clean.
  beforeAll(() => jest.spyOn(filter['logger'], 'error').mockImplementation(() => undefined));

  it('answers a driver connectivity error that no repository mapped as 503 USDT_ERR_600, retryable', () => {
    const { host, answer } = httpHost();
    filter.catch(new MongoNetworkTimeoutError('connection 7 to 127.0.0.1:40001 timed out'), host);
    expect(answer.status).toBe(503);
    expect(answer.body?.error).toMatchObject({
      code: 'USDT_ERR_600',
      message: 'Database unavailable',
      retryable: true,
      retryPolicy: 'exponential_backoff',
      details: [],
    });
    expect(answer.headers['retry-after']).toBe('2');
    expect(JSON.stringify(answer.body)).not.toMatch(/127\.0\.0\.1|timed out|Mongo/);
  });

  it('keeps any other unknown error a 500 USDT_ERR_800 without its message', () => {
    const { host, answer } = httpHost();
    filter.catch(new TypeError('secret internals'), host);
    expect(answer.status).toBe(500);
    expect(answer.body?.error.code).toBe('USDT_ERR_800');
    expect(JSON.stringify(answer.body)).not.toMatch(/secret internals/);
  });
});
