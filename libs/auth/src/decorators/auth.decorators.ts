import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';

import { ApiErrors, ErrorCode } from '@app/common';

import { AuthUser, Role } from '../roles';

export const IS_PUBLIC_KEY = 'auth:isPublic';
export const ROLE_KEY = 'auth:role';

/** Marks a route (or controller) as reachable without a token. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * The least role a route needs, with its OpenAPI security and the codes the auth guards answer with (401
 * USDT_ERR_500, 403 USDT_ERR_501). A method's role overrides its controller's; routes without one need any
 * valid role (viewer).
 */
export function Roles(role: Role) {
  return applyDecorators(
    SetMetadata(ROLE_KEY, role),
    ApiBearerAuth(),
    ApiErrors(ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN_ROLE),
  );
}

/** The authenticated caller of the current request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser =>
    context.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
