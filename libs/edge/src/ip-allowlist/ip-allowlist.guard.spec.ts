import { ExecutionContext, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { Public, Roles } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import { Policies, PolicyStore } from '@app/policies';

import { IpAllowlistGuard } from './ip-allowlist.guard';

class Routes {
  @Roles('admin') admin() {}
  @Roles('viewer') viewer() {}
  @Public() live() {}
}

/** The part of PolicyStore the guard reads. */
class FakePolicyStore {
  constructor(public lists: Policies['ipAllowlist'] | Error) {}
  current(): Promise<Policies> {
    if (this.lists instanceof Error) return Promise.reject(this.lists);
    return Promise.resolve({ ipAllowlist: this.lists } as Policies);
  }
}

function call(handler: keyof Routes, ip: string, routePath = `/probe/${handler}`): ExecutionContext {
  const req = { ip, method: 'GET', path: routePath, route: { path: routePath } };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

describe('IpAllowlistGuard', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  const guardWith = (store: FakePolicyStore) =>
    new IpAllowlistGuard(new Reflector(), store as unknown as PolicyStore);

  const refusal = (promise: Promise<boolean>) =>
    promise.then(
      () => undefined,
      (err: unknown) => (err instanceof AppError ? err.code : err),
    );

  it('lets every address in while both lists are empty', async () => {
    const guard = guardWith(new FakePolicyStore({ admin: [], all: [] }));
    await expect(guard.canActivate(call('admin', '198.51.100.1'))).resolves.toBe(true);
  });

  it('applies the admin list to admin routes only', async () => {
    const guard = guardWith(new FakePolicyStore({ admin: ['10.0.0.0/8'], all: [] }));
    expect(await refusal(guard.canActivate(call('admin', '127.0.0.1')))).toBe(ErrorCode.FORBIDDEN_IP);
    await expect(guard.canActivate(call('admin', '10.20.30.40'))).resolves.toBe(true);
    await expect(guard.canActivate(call('viewer', '127.0.0.1'))).resolves.toBe(true);
  });

  it('applies the all list to every route but the probes', async () => {
    const guard = guardWith(new FakePolicyStore({ admin: [], all: ['10.0.0.0/8'] }));
    expect(await refusal(guard.canActivate(call('viewer', '127.0.0.1')))).toBe(ErrorCode.FORBIDDEN_IP);
    await expect(guard.canActivate(call('viewer', '::ffff:10.0.0.1'))).resolves.toBe(true);
    await expect(guard.canActivate(call('live', '127.0.0.1', '/health/live'))).resolves.toBe(true);
    await expect(guard.canActivate(call('live', '127.0.0.1', '/health/ready'))).resolves.toBe(true);
    expect(await refusal(guard.canActivate(call('live', '127.0.0.1', '/health')))).toBe(
      ErrorCode.FORBIDDEN_IP,
    );
  });

  it('needs an admin route caller on both lists', async () => {
    const guard = guardWith(new FakePolicyStore({ admin: ['10.1.0.0/16'], all: ['10.0.0.0/8'] }));
    await expect(guard.canActivate(call('admin', '10.1.2.3'))).resolves.toBe(true);
    expect(await refusal(guard.canActivate(call('admin', '10.2.0.1')))).toBe(ErrorCode.FORBIDDEN_IP);
  });

  it('follows the policies in force on every request', async () => {
    const store = new FakePolicyStore({ admin: [], all: [] });
    const guard = guardWith(store);
    await expect(guard.canActivate(call('viewer', '127.0.0.1'))).resolves.toBe(true);
    store.lists = { admin: [], all: ['2001:db8::/32'] };
    expect(await refusal(guard.canActivate(call('viewer', '127.0.0.1')))).toBe(ErrorCode.FORBIDDEN_IP);
    await expect(guard.canActivate(call('viewer', '2001:db8::7'))).resolves.toBe(true);
  });

  it('refuses with 503 when the policies cannot be read, but keeps the probes up', async () => {
    const guard = guardWith(new FakePolicyStore(new Error('database down')));
    expect(await refusal(guard.canActivate(call('viewer', '127.0.0.1')))).toBe(ErrorCode.UNAVAILABLE);
    await expect(guard.canActivate(call('live', '127.0.0.1', '/health/live'))).resolves.toBe(true);
  });
});
