import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

import { parseUsdtAmount } from '@app/common';

import { HttpScreeningProvider, parseVerdict } from './http-screening-provider';
import { ScreeningProviderError } from './screening-provider';

const FLAGGED = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';
const CLEAN = 'TPL66VK2gCXNCD7EJg9pgJRfqcRazjhUZY';
const API_KEY = 'aml-key-0123456789';

interface Seen {
  method?: string;
  authorization?: string;
  contentType?: string;
  body: unknown;
}

/** A real local screening service: flags one address, is slow or broken on request. */
function startProvider(mode: { value: 'normal' | 'slow' | 'error' | 'garbage' | 'slow-body' }) {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw) as { address: string };
      seen.push({
        method: req.method,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      });
      const answer = (status: number, payload: string) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(payload);
      };
      switch (mode.value) {
        case 'slow':
          setTimeout(() => answer(200, '{"blocked":false}'), 1_000);
          return;
        case 'slow-body':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"blocked":');
          setTimeout(() => res.end('false}'), 1_000);
          return;
        case 'error':
          answer(500, '{"error":"internal"}');
          return;
        case 'garbage':
          answer(200, '<html>maintenance</html>');
          return;
        default:
          answer(
            200,
            JSON.stringify(
              body.address === FLAGGED
                ? { blocked: true, risk: 'severe', reason: 'sanctions list match' }
                : { blocked: false, risk: 'low' },
            ),
          );
      }
    });
  });
  return new Promise<{ server: Server; url: string; seen: Seen[] }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/screen`, seen }),
    ),
  );
}

describe('HttpScreeningProvider against a real HTTP server', () => {
  const mode: { value: 'normal' | 'slow' | 'error' | 'garbage' | 'slow-body' } = { value: 'normal' };
  let server: Server;
  let url: string;
  let seen: Seen[];
  let provider: HttpScreeningProvider;

  beforeAll(async () => {
    ({ server, url, seen } = await startProvider(mode));
    provider = new HttpScreeningProvider({ url, apiKey: API_KEY, network: 'nile' });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    mode.value = 'normal';
    seen.length = 0;
  });

  it('posts the address, the decimal amount, asset and network with the bearer key', async () => {
    await provider.screen({ address: CLEAN, amountRaw: parseUsdtAmount('1250.5'), timeoutMs: 2_000 });
    expect(seen).toEqual([
      {
        method: 'POST',
        authorization: `Bearer ${API_KEY}`,
        contentType: 'application/json',
        body: { address: CLEAN, amount: '1250.5', asset: 'USDT', network: 'nile' },
      },
    ]);
  });

  it('returns the verdict of a flagged address', async () => {
    await expect(provider.screen({ address: FLAGGED, amountRaw: 1n, timeoutMs: 2_000 })).resolves.toEqual({
      blocked: true,
      risk: 'severe',
      reason: 'sanctions list match',
    });
  });

  it('returns a clean verdict', async () => {
    await expect(provider.screen({ address: CLEAN, amountRaw: 1n, timeoutMs: 2_000 })).resolves.toEqual({
      blocked: false,
      risk: 'low',
    });
  });

  it('gives up after the timeout when the provider is slow', async () => {
    mode.value = 'slow';
    const started = Date.now();
    await expect(provider.screen({ address: CLEAN, amountRaw: 1n, timeoutMs: 150 })).rejects.toThrow(
      new ScreeningProviderError('provider did not answer within 150 ms'),
    );
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('times out a provider that sends headers and then stalls the body', async () => {
    mode.value = 'slow-body';
    await expect(provider.screen({ address: CLEAN, amountRaw: 1n, timeoutMs: 150 })).rejects.toThrow(
      /did not answer within 150 ms/,
    );
  });

  it('treats HTTP 500 as a provider error', async () => {
    mode.value = 'error';
    await expect(provider.screen({ address: CLEAN, amountRaw: 1n, timeoutMs: 2_000 })).rejects.toThrow(
      new ScreeningProviderError('provider answered HTTP 500'),
    );
  });

  it('treats a body that is not JSON as a provider error', async () => {
    mode.value = 'garbage';
    await expect(provider.screen({ address: CLEAN, amountRaw: 1n, timeoutMs: 2_000 })).rejects.toThrow(
      /not JSON/,
    );
  });

  it('treats a refused connection as a provider error', async () => {
    const closed = await startProvider(mode);
    closed.server.close();
    const gone = new HttpScreeningProvider({ url: closed.url, network: 'nile' });
    await expect(gone.screen({ address: CLEAN, amountRaw: 1n, timeoutMs: 2_000 })).rejects.toThrow(
      /provider unreachable: ECONNREFUSED/,
    );
  });

  it('fails every call without a URL, warning once and never calling out', async () => {
    const unconfigured = new HttpScreeningProvider({ network: 'nile' });
    const warn = jest.spyOn((unconfigured as unknown as { logger: { warn: () => void } }).logger, 'warn');
    for (let i = 0; i < 3; i++) {
      await expect(unconfigured.screen({ address: CLEAN, amountRaw: 1n, timeoutMs: 100 })).rejects.toThrow(
        new ScreeningProviderError('no AML_PROVIDER_URL configured'),
      );
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(0);
  });
});

describe('provider verdict parsing', () => {
  it('keeps blocked, risk and reason and ignores other fields', () => {
    expect(parseVerdict('{"blocked":false,"score":3}')).toEqual({ blocked: false });
    expect(parseVerdict('{"blocked":true,"reason":"r","risk":null}')).toEqual({ blocked: true, reason: 'r' });
  });

  it('refuses answers without a boolean verdict or with wrongly typed fields', () => {
    expect(() => parseVerdict('{"blocked":"no"}')).toThrow(ScreeningProviderError);
    expect(() => parseVerdict('[true]')).toThrow(ScreeningProviderError);
    expect(() => parseVerdict('{"blocked":true,"reason":42}')).toThrow(ScreeningProviderError);
  });
});
