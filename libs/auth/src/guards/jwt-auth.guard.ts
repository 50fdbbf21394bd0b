import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';

import { AppError, ErrorCode } from '@app/common';

import { IS_PUBLIC_KEY } from '../decorators/auth.decorators';
import { AuthUser } from '../roles';
import { VerifiedTokens } from './verified-tokens';

type AuthenticatedRequest = { headers: { authorization?: string }; user?: AuthUser };

/** Global: every route needs a valid bearer token unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(JwtAuthGuard.name);
  private readonly verified = new VerifiedTokens();

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    const known = token === undefined ? undefined : this.verified.find(token);
    if (known) {
      request.user = known;
      return true;
    }
    return this.verify(context, request, token);
  }

  private async verify(
    context: ExecutionContext,
    request: AuthenticatedRequest,
    token: string | undefined,
  ): Promise<boolean> {
    const allowed = (await super.canActivate(context)) as boolean;
    if (allowed && token !== undefined && request.user) this.verified.remember(token, request.user);
    return allowed;
  }

  /**
   * The reason (expired, bad signature, wrong audience, malformed) is not echoed: it would help whoever
   * forges tokens. It is logged at debug for the operator chasing a 401, as the verifier's own message,
   * which names the failed check and never the token.
   */
  override handleRequest<TUser = AuthUser>(err: unknown, user: TUser | false, info?: unknown): TUser {
    if (err || !user) {
      this.logger.debug(`token refused: ${refusalReason(err ?? info)}`);
      throw new AppError(ErrorCode.UNAUTHENTICATED);
    }
    return user;
  }
}

/**
 * passport-jwt reports why in `info`: a jsonwebtoken error (`jwt expired`, `invalid signature`, `jwt audience
 * invalid. expected: ...`) or passport's `No auth token`; nothing when the strategy refused the claims. Only the error's name and message are kept: the
 * error object itself may hold the decoded payload.
 */
export function refusalReason(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`.slice(0, 200);
  // Verified but refused by validate(): the claims (subject, roles) are missing or not ours.
  return reason ? 'unknown reason' : 'the claims are not usable (sub, roles)';
}

/** The token of an `Authorization: Bearer <token>` header, as passport-jwt's extractor reads it. */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
