import { CallTimeoutError, classifyNodeError, NodeResponseError } from './node-failure';

/** The shape axios gives a failed request (only what the classifier reads, plus the config it must ignore). */
function axiosError(opts: {
  code?: string;
  status?: number;
  headers?: Record<string, string>;
  message?: string;
}) {
  return Object.assign(new Error(opts.message ?? 'Request failed'), {
    isAxiosError: true,
    code: opts.code,
    config: { headers: { 'TRON-PRO-API-KEY': 'secret-key' } },
    response: opts.status === undefined ? undefined : { status: opts.status, headers: opts.headers ?? {} },
  });
}

describe('classifyNodeError', () => {
  it.each([
    ['a refused connection', axiosError({ code: 'ECONNREFUSED' }), 'connection', true],
    ['a reset connection', axiosError({ code: 'ECONNRESET', message: 'socket hang up' }), 'connection', true],
    ['an unknown host', axiosError({ code: 'ENOTFOUND' }), 'connection', true],
    ['an axios timeout', axiosError({ code: 'ECONNABORTED' }), 'timeout', true],
    ['our own deadline', new CallTimeoutError(1000), 'timeout', true],
    ['HTTP 429', axiosError({ status: 429 }), 'rate_limited', true],
    ['HTTP 403 (TronGrid pausing a key)', axiosError({ status: 403 }), 'rate_limited', true],
    ['HTTP 502', axiosError({ status: 502 }), 'server', true],
    ['HTTP 503', axiosError({ status: 503 }), 'server', true],
    ['HTTP 400', axiosError({ status: 400 }), 'client', false],
    ['HTTP 404', axiosError({ status: 404 }), 'client', false],
    ['java-tron { Error }', new NodeResponseError('class java.lang.Exception'), 'node_error', false],
    ['a bug in our code', new TypeError('x is undefined'), 'local', false],
    ['a thrown string', 'Invalid address provided', 'local', false],
  ])('classifies %s', (_label, err, kind, transient) => {
    expect(classifyNodeError(err)).toMatchObject({ kind, transient });
  });

  it('reads Retry-After in seconds', () => {
    expect(classifyNodeError(axiosError({ status: 429, headers: { 'retry-after': '3' } })).retryAfterMs).toBe(
      3000,
    );
  });

  it('summarises with code, status and message, never the request config', () => {
    const failure = classifyNodeError(
      axiosError({ status: 429, message: 'Request failed with status code 429' }),
    );
    expect(failure.summary).toBe('HTTP 429 Request failed with status code 429');
    expect(JSON.stringify(failure)).not.toContain('secret-key');
  });
});
