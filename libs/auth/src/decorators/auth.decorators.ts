import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

import { AuthUser, Role } from '../roles';

export const IS_PUBLIC_KEY = 'auth:isPublic';
export const ROLE_KEY = 'auth:role';

/** Marks a route (or controller) as reachable without a token. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * The least role a route needs, with its OpenAPI security notes. A method's role overrides its controller's;
 * routes without one need any valid role (viewer).
 */
export function Roles(role: Role) {
  return applyDecorators(
    SetMetadata(ROLE_KEY, role),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'USDT_ERR_500: missing, expired or invalid token' }),
    ApiForbiddenResponse({ description: `USDT_ERR_501: needs the ${role} role` }),
  );
}

/** The authenticated caller of the current request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser =>
    context.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
