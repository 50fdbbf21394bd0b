import request from 'supertest';

import { freshAddress, PaymentStack, startPaymentStack, waitForStatus } from '../support/payment-stack';

const API = '/api/v1/tron/usdt';

/**
 * Bad input is refused with its catalogue code and leaves no record; and during a whole payment flow no byte
 * of a private key (or the key-encryption key) reaches a log line or a response.
 */
describe('transfer intake validation and secret hygiene', () => {
  let stack: PaymentStack;
  const logged: string[] = [];
  const responses: string[] = [];
  let restoreStdout: () => void;

  beforeAll(async () => {
    // Capture everything the app logs (pino writes JSON lines to stdout) for the whole suite; trace-level lines
    // are kept here, not echoed into the test run's output.
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
      logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    };
    restoreStdout = () => (process.stdout.write = original);
    stack = await startPaymentStack({
      env: { LOG_LEVEL: 'trace', WALLET_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') },
    });
  });

  afterAll(async () => {
    await stack?.close();
    restoreStdout?.();
  });

  const post = (body: object, key?: string) => {
    const req = request(stack.app.url).post(`${API}/transfer`).set(stack.operator);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body).then((res) => {
      responses.push(res.text);
      return res;
    });
  };

  const valid = () => ({ to: freshAddress(), amount: '1' });
  const goodHex = '41a614f803b6fd780986a42c78ec9c7f77e6ded13c';

  it.each([
    [
      'an address with a bad checksum',
      { to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', amount: '1' },
      'USDT_ERR_101',
    ],
    ['a hex address instead of base58', { to: goodHex, amount: '1' }, 'USDT_ERR_101'],
    ['7 decimals', { amount: '1.1234567' }, 'USDT_ERR_102'],
    ['a negative amount', { amount: '-1' }, 'USDT_ERR_102'],
    ['zero', { amount: '0' }, 'USDT_ERR_102'],
    ['an exponent', { amount: '1e3' }, 'USDT_ERR_102'],
    ['a huge amount', { amount: '99999999999999999999999' }, 'USDT_ERR_102'],
    ['a number instead of a string', { amount: 5 }, 'USDT_ERR_102'],
    ['an unknown field', { extra: 'x' }, 'USDT_ERR_100'],
    ['an unknown paying wallet', { wallet: 'no-such-wallet' }, 'USDT_ERR_100'],
  ])('refuses %s with its code and persists nothing', async (_label, override, code) => {
    const res = await post({ ...valid(), ...override }, `bad-${code}-${Math.random().toString(36).slice(2)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    const list = await request(stack.app.url).get(`${API}/transfers`).set(stack.viewer).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('refuses a missing or malformed Idempotency-Key with USDT_ERR_104 and persists nothing', async () => {
    expect((await post(valid())).body.error.code).toBe('USDT_ERR_104');
    expect((await post(valid(), 'short')).body.error.code).toBe('USDT_ERR_104');
    const list = await request(stack.app.url).get(`${API}/transfers`).set(stack.viewer).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('never shows a private key or the master key in logs or responses during a full payment', async () => {
    const res = await post(valid(), 'secret-scan-0001');
    expect(res.status).toBe(202);
    await waitForStatus(stack, res.body.id, ['confirmed']);
    for (const path of ['/wallets', '/stats', '/transfers', `/transfers/${res.body.id}`]) {
      responses.push((await request(stack.app.url).get(`${API}${path}`).set(stack.admin)).text);
    }
    responses.push((await request(stack.app.url).get('/status')).text);

    const key = stack.devnet.info.accounts[1].privateKey.toLowerCase();
    const masterKey = Buffer.alloc(32, 9);
    const needles = [
      key,
      key.toUpperCase(),
      Buffer.from(key, 'hex').toString('base64'),
      masterKey.toString('base64'),
      masterKey.toString('hex'),
    ];
    const haystack = [...logged, ...responses].join('\n');
    // The capture really sees the service's log lines, including the wallet import and the signing.
    expect(logged.some((line) => line.includes('"msg":"request completed"'))).toBe(true);
    expect(logged.some((line) => line.includes('/api/v1/tron/usdt/wallets'))).toBe(true);
    for (const needle of needles) expect(haystack.includes(needle)).toBe(false);
    // Also no long run of the key: any 16 consecutive hex characters of it.
    for (let i = 0; i + 16 <= key.length; i += 8)
      expect(haystack.toLowerCase().includes(key.slice(i, i + 16))).toBe(false);
  });

  it('writes no access line for /health, the probes and /metrics, and one for any other route', async () => {
    const quiet = ['/health', '/health/live', '/health/ready', '/metrics'];
    for (const [i, path] of [...quiet, '/status'].entries()) {
      const res = await request(stack.app.url).get(path).set('X-Request-Id', `access-line-${i}`);
      expect(res.headers['x-request-id']).toBe(`access-line-${i}`);
    }
    const accessLines = (i: number) =>
      logged.filter((line) => line.includes(`"id":"access-line-${i}"`) && line.includes('request completed'));
    quiet.forEach((_, i) => expect(accessLines(i)).toEqual([]));
    expect(accessLines(quiet.length)).toHaveLength(1);
  });
});
