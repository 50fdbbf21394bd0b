/**
 * What went wrong with one node request, reduced to what the retry loop needs. The summary is built from
 * the error's code, status and message only: transport errors (axios) also carry the request config,
 * whose headers hold TRON-PRO-API-KEY, so the original error object is never logged or kept as a cause.
 */

export type FailureKind =
  /** refused, reset, DNS, unreachable: the host is not there; fail over at once */
  | 'connection'
  | 'timeout'
  /** 429, or 403 which TronGrid sends when a key is paused for going too fast */
  | 'rate_limited'
  | 'server'
  /** another 4xx: the request itself is wrong; retrying cannot help */
  | 'client'
  /** java-tron answered 200 with `{ Error }` */
  | 'node_error'
  /** not a transport failure (our own bug, a decoding problem): never retried, rethrown as is */
  | 'local';

export interface NodeFailure {
  kind: FailureKind;
  transient: boolean;
  status?: number;
  retryAfterMs?: number;
  summary: string;
}

/** Our own per-call deadline passed. */
export class CallTimeoutError extends Error {
  override name = 'CallTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** java-tron's way of failing: HTTP 200 with `{ "Error": "class ... : message" }`. */
export class NodeResponseError extends Error {
  override name = 'NodeResponseError';
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

interface TransportErrorShape {
  code?: unknown;
  message?: unknown;
  isAxiosError?: unknown;
  response?: { status?: unknown; headers?: Record<string, unknown> };
}

export function classifyNodeError(err: unknown): NodeFailure {
  if (err instanceof CallTimeoutError) return { kind: 'timeout', transient: true, summary: err.message };
  if (err instanceof NodeResponseError) {
    return { kind: 'node_error', transient: false, summary: truncate(err.message) };
  }
  if (typeof err !== 'object' || err === null) {
    return { kind: 'local', transient: false, summary: truncate(String(err)) };
  }
  const e = err as TransportErrorShape;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  const status = typeof e.response?.status === 'number' ? e.response.status : undefined;
  const summary = truncate([code, status ? `HTTP ${status}` : undefined, message].filter(Boolean).join(' '));

  if (status !== undefined) {
    if (status === 429 || status === 403) {
      return { kind: 'rate_limited', transient: true, status, summary, retryAfterMs: retryAfter(e) };
    }
    if (status >= 500) return { kind: 'server', transient: true, status, summary };
    return { kind: 'client', transient: false, status, summary };
  }
  if (code && TIMEOUT_CODES.has(code)) return { kind: 'timeout', transient: true, summary };
  if ((code && CONNECTION_CODES.has(code)) || /socket hang up/i.test(message)) {
    return { kind: 'connection', transient: true, summary };
  }
  // An axios error without a response and without a known code is still a transport problem.
  if (e.isAxiosError === true) return { kind: 'connection', transient: true, summary };
  return { kind: 'local', transient: false, summary };
}

/** Retry-After in seconds or as an HTTP date. */
function retryAfter(e: TransportErrorShape): number | undefined {
  const raw = e.response?.headers?.['retry-after'];
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(String(raw));
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
