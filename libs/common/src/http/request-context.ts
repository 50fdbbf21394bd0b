import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the request context reads from the Express request: all of it is set by later middleware or guards. */
interface ContextRequest {
  /** Put there by the JWT guard (AuthUser). */
  user?: { sub?: unknown; roles?: unknown };
  /** Express's client address (honours the `trust proxy` setting). */
  ip?: string;
  /** Put there by pino-http's genReqId (assignRequestId). */
  id?: unknown;
}

/** Who is behind the current HTTP request; the shape of `AuditActor`. */
export interface RequestActor {
  id: string;
  roles: string[];
  ip?: string;
  requestId?: string;
}

const storage = new AsyncLocalStorage<IncomingMessage & ContextRequest>();

/**
 * Express middleware: keeps the request reachable from any code that runs on its behalf (use cases, event
 * listeners, the audit trail) without passing it down. Register it with `app.use` before the routes, so
 * every guard and handler runs inside the context.
 */
export function requestContextMiddleware(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
  storage.run(req, next);
}

/** Runs `fn` as if it served `req`; for callers outside Express (tests, other transports). */
export function runWithRequest<T>(req: IncomingMessage, fn: () => T): T {
  return storage.run(req, fn);
}

/** The HTTP request the current code serves, `undefined` outside one (log lines show it, see logging.ts). */
export function currentHttpRequest(): IncomingMessage | undefined {
  return storage.getStore();
}

/**
 * The caller of the current request, read now rather than when the request arrived (the user is only known
 * once the JWT guard has run). `undefined` outside a request.
 */
export function currentRequestActor(): RequestActor | undefined {
  const req = storage.getStore();
  if (!req) return undefined;
  const sub = req.user?.sub;
  const roles = req.user?.roles;
  return {
    id: typeof sub === 'string' && sub.length > 0 ? sub : 'anonymous',
    roles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
    ...(typeof req.ip === 'string' && { ip: req.ip }),
    ...(typeof req.id === 'string' && { requestId: req.id }),
  };
}
