import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import { Role, ROLE_KEY } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import { Policies, PolicyStore } from '@app/policies';

import { IpAllowlist } from '../domain/ip-allowlist';
import { isProbe } from '../http/route-traits';

/**
 * Global, first: the client address (`req.ip`, which honours TRUSTED_PROXIES) must be on `ipAllowlist.all`
 * for every route but the probes, and on `ipAllowlist.admin` for routes that need the admin role. An empty
 * list allows any address. The lists are read from the policies in force on every request, so a
 * PUT /policies applies without a restart.
 */
@Injectable()
export class IpAllowlistGuard implements CanActivate {
  private readonly logger = new Logger('IpAllowlist');
  // Parsed once per list the policy store hands out (it keeps the same arrays until the policies change).
  private readonly parsed = new WeakMap<readonly string[], IpAllowlist>();

  constructor(
    private readonly reflector: Reflector,
    private readonly policies: PolicyStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    if (isProbe(req)) return true;
    const lists = (await this.readPolicies()).ipAllowlist;
    if (!this.admits(lists.all, req.ip)) this.refuse(req, 'all');
    const role = this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (role === 'admin' && !this.admits(lists.admin, req.ip)) this.refuse(req, 'admin');
    return true;
  }

  private admits(entries: readonly string[], ip: string | undefined): boolean {
    let list = this.parsed.get(entries);
    if (!list) {
      list = IpAllowlist.parse(entries);
      this.parsed.set(entries, list);
    }
    return list.isEmpty || list.includes(ip);
  }

  private refuse(req: Request, list: 'all' | 'admin'): never {
    this.logger.warn({ ip: req.ip, method: req.method, path: req.path, list }, 'client IP not allowed');
    throw new AppError(ErrorCode.FORBIDDEN_IP);
  }

  /** Without the lists nobody can be told apart: refuse (503) rather than let every address in. */
  private async readPolicies(): Promise<Policies> {
    try {
      return await this.policies.current();
    } catch (err) {
      throw new AppError(ErrorCode.UNAVAILABLE, 'The security policies cannot be read', [], { cause: err });
    }
  }
}
