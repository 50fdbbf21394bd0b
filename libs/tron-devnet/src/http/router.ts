import { IncomingMessage, ServerResponse } from 'node:http';

export type Params = Record<string, unknown>;

export interface RequestContext {
  method: string;
  path: string;
  /** query string and JSON body merged (body wins), as java-tron servlets accept either */
  params: Params;
  /** the parsed JSON body alone */
  body: unknown;
  /** `:name` segments of the matched route */
  pathParams: Record<string, string>;
  query: URLSearchParams;
}

export interface RouteResult {
  status?: number;
  body: unknown;
  /** close the connection without answering (fault injection) */
  dropResponse?: boolean;
}

export type Handler = (ctx: RequestContext) => RouteResult | Promise<RouteResult>;

interface PatternRoute {
  methods: string[];
  segments: string[];
  handler: Handler;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A tiny router: exact paths in a map, `:param` patterns scanned in order. */
export class Router {
  /** key: METHOD + ' ' + lowercase path */
  private readonly exact = new Map<string, Handler>();
  private readonly patterns: PatternRoute[] = [];

  add(methods: string[], path: string, handler: Handler): this {
    if (path.includes(':')) this.patterns.push({ methods, segments: path.split('/'), handler });
    else for (const m of methods) this.exact.set(`${m} ${path.toLowerCase()}`, handler);
    return this;
  }

  match(method: string, path: string): { handler: Handler; pathParams: Record<string, string> } | undefined {
    const e = this.exact.get(`${method} ${path.toLowerCase()}`);
    if (e) return { handler: e, pathParams: {} };
    const parts = path.split('/');
    for (const r of this.patterns) {
      if (!r.methods.includes(method) || r.segments.length !== parts.length) continue;
      const pathParams: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = r.segments[i];
        if (seg.startsWith(':')) pathParams[seg.slice(1)] = decodeURIComponent(parts[i]);
        else ok = seg === parts[i];
      }
      if (ok) return { handler: r.handler, pathParams };
    }
    return undefined;
  }
}

const MAX_BODY = 8 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON with bigint support (bigints become numbers when safe, strings otherwise). */
export function toJson(value: unknown, int64AsString = false): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') {
      if (int64AsString) return v.toString();
      return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v)
        : v.toString();
    }
    if (int64AsString && typeof v === 'number' && Number.isInteger(v)) return String(v);
    return v;
  });
}

export function send(res: ServerResponse, status: number, body: unknown, int64AsString = false): void {
  const text = toJson(body, int64AsString);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'access-control-allow-origin': '*',
  });
  res.end(text);
}

export function flag(v: unknown): boolean {
  return v === true || v === 'true' || v === 1 || v === '1';
}
