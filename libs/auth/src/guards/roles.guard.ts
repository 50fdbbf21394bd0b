import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { AppError, ErrorCode } from '@app/common';

import { IS_PUBLIC_KEY, ROLE_KEY } from '../decorators/auth.decorators';
import { AuthUser, hasRole, Role } from '../roles';

/** Global, after authentication: the caller's roles must reach the route's @Roles() (viewer by default). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const required = this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, targets) ?? 'viewer';
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED);
    if (!hasRole(user.roles, required)) {
      throw new AppError(ErrorCode.FORBIDDEN_ROLE, `This action needs the ${required} role`);
    }
    return true;
  }
}
