import { AppError, ErrorCode } from '@app/common';

import { Clock } from './clock';
import { HostPool } from './host-pool';
import { NodeCaller, NodeCallerOptions } from './node-caller';
import { TokenBucket } from './token-bucket';

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:8090'), {
    isAxiosError: true,
    code: 'ECONNREFUSED',
    config: { headers: { 'TRON-PRO-API-KEY': 'secret-key' } },
  });
const tooMany = () =>
  Object.assign(new Error('Request failed with status code 429'), {
    isAxiosError: true,
    response: { status: 429, headers: {} },
    config: { headers: { 'TRON-PRO-API-KEY': 'secret-key' } },
  });
const badRequest = () =>
  Object.assign(new Error('Request failed with status code 400'), {
    isAxiosError: true,
    response: { status: 400, headers: {} },
  });

function setup(hostCount = 1, options: Partial<NodeCallerOptions> = {}) {
  let now = 0;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
  const hosts = Array.from({ length: hostCount }, (_, index) => ({
    index,
    label: `h${index}`,
    client: `host${index}`,
  }));
  const observed: string[] = [];
  const failures: string[] = [];
  const warnings: string[] = [];
  const caller = new NodeCaller(
    new HostPool(hosts, { failureThreshold: 2, cooldownMs: 30_000 }, clock),
    new TokenBucket(0, 1, clock),
    {
      maxRetries: 3,
      timeoutMs: 1000,
      backoff: { policy: 'exponential_backoff', baseMs: 100, maxMs: 1000 },
      ...options,
    },
    {
      observe: (endpoint, outcome) => observed.push(`${endpoint}:${outcome}`),
      failed: (endpoint, reason) => failures.push(`${endpoint}:${reason}`),
    },
    { warn: (m) => warnings.push(m) },
    clock,
  );
  return { caller, sleeps, observed, failures, warnings };
}

/** A node call that fails with the given errors in turn, then answers with the host it reached. */
function scripted(errors: Array<() => Error>) {
  const seen: string[] = [];
  const fn = (client: string) => {
    seen.push(client);
    const next = errors.shift();
    return next ? Promise.reject(next()) : Promise.resolve(`answer from ${client}`);
  };
  return { fn, seen };
}

describe('NodeCaller', () => {
  it('retries transient failures with growing delays and returns the answer', async () => {
    const { caller, sleeps, observed, failures } = setup();
    const { fn } = scripted([tooMany, tooMany]);
    await expect(caller.call('getnowblock', fn)).resolves.toBe('answer from host0');
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] / 2);
    expect(observed).toEqual(['getnowblock:error', 'getnowblock:error', 'getnowblock:ok']);
    expect(failures).toEqual(['getnowblock:rate_limited', 'getnowblock:rate_limited']);
  });

  it('fails over to the fallback hosts in order', async () => {
    const { caller, warnings } = setup(3);
    const { fn, seen } = scripted([refused, refused]);
    await expect(caller.call('getnowblock', fn)).resolves.toBe('answer from host2');
    expect(seen).toEqual(['host0', 'host1', 'host2']);
    expect(warnings).toHaveLength(2);
    expect(caller.currentHost().label).toBe('h2');
  });

  it('gives up with USDT_ERR_400 after maxRetries, without leaking the API key', async () => {
    const { caller } = setup(1, { maxRetries: 2 });
    const { fn, seen } = scripted([refused, refused, refused, refused]);
    const err = (await caller.call('getaccount', fn).catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe(ErrorCode.NODE_UNAVAILABLE);
    expect(seen).toHaveLength(3);
    expect(err.details).toEqual([{ message: 'connection', endpoint: 'getaccount' }]);
    const everything = JSON.stringify({
      message: err.message,
      details: err.details,
      cause: String(err.cause),
    });
    expect(everything).not.toContain('secret-key');
    // The host address is for the logs (cause), not for API callers (message, details).
    expect(err.message + JSON.stringify(err.details)).not.toContain('10.0.0.1');
  });

  it('does not retry a request the node refuses as malformed', async () => {
    const { caller } = setup();
    const { fn, seen } = scripted([badRequest]);
    await expect(caller.call('getaccount', fn)).rejects.toMatchObject({ code: ErrorCode.NODE_UNAVAILABLE });
    expect(seen).toHaveLength(1);
  });

  it('passes AppErrors and local errors through untouched, without retrying', async () => {
    const { caller } = setup();
    const appError = new AppError(ErrorCode.CONTRACT_UNAVAILABLE);
    const a = scripted([() => appError]);
    await expect(caller.call('x', a.fn)).rejects.toBe(appError);
    const bug = new TypeError('boom');
    const b = scripted([() => bug]);
    await expect(caller.call('x', b.fn)).rejects.toBe(bug);
    expect(a.seen.length + b.seen.length).toBe(2);
  });

  it('treats a call that outlives its deadline as a timeout', async () => {
    const { caller, failures } = setup(1, { timeoutMs: 20, maxRetries: 1 });
    const never = () => new Promise<string>(() => undefined);
    await expect(caller.call('getnowblock', never)).rejects.toMatchObject({
      code: ErrorCode.NODE_UNAVAILABLE,
    });
    expect(failures).toEqual(['getnowblock:timeout', 'getnowblock:timeout']);
  });

  it('tries once when the call asks for no retries, or the catalogue says no_retry', async () => {
    const first = setup();
    const a = scripted([refused, refused]);
    await expect(first.caller.call('x', a.fn, { retries: 0 })).rejects.toMatchObject({
      code: 'USDT_ERR_400',
    });
    expect(a.seen).toHaveLength(1);

    const second = setup(1, { backoff: { policy: 'no_retry', baseMs: 100, maxMs: 100 } });
    const b = scripted([refused, refused]);
    await expect(second.caller.call('x', b.fn)).rejects.toMatchObject({ code: 'USDT_ERR_400' });
    expect(b.seen).toHaveLength(1);
  });
});
