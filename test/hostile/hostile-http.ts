import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import { ErrorCode } from '@app/common';

import type { TestApp } from '../support/test-app';

/** One operation of the OpenAPI document, with what the hostile suites need to call it. */
export interface Operation {
  method: string;
  path: string;
  /** Needs a bearer token (it has OpenAPI security). */
  secured: boolean;
  hasBody: boolean;
  headers: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation the running service documents: the suites cover each route, new ones included. */
export async function documentedOperations(service: TestApp): Promise<Operation[]> {
  const doc = (await (await fetch(`${service.url}/docs-json`)).json()) as {
    paths: Record<
      string,
      Record<
        string,
        { security?: unknown[]; requestBody?: unknown; parameters?: { in: string; name: string }[] }
      >
    >;
  };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({
      method: m.toUpperCase(),
      path,
      secured: (item[m].security ?? []).length > 0,
      hasBody: item[m].requestBody !== undefined,
      headers: (item[m].parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name),
    })),
  );
}

/** A well-formed value for each kind of path parameter, so a request gets past routing to the guards. */
export function concretePath(path: string, values: Partial<Record<string, string>> = {}): string {
  const defaults: Record<string, string> = {
    id: '0b8f3c52-6d1e-4a8e-9d51-3f1f0a6b9c21',
    txid: 'a'.repeat(64),
    list: 'block',
    address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    owner: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    spender: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
  };
  return path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? defaults[name] ?? 'x'),
  );
}

export interface Answer {
  status: number;
  body: unknown;
  text: string;
}

export async function send(
  service: TestApp,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: options.headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : options.body,
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

const CODES = new Set<string>(Object.values(ErrorCode));
const FIELDS = ['code', 'details', 'message', 'requestId', 'retryPolicy', 'retryable'];

/**
 * Why an answer is not the one error shape with a catalogue code and nothing internal in it, or undefined
 * when it is. A reason rather than a boolean, so a failing property says what was wrong.
 */
export function errorShapeProblem(answer: Answer): string | undefined {
  const error = (answer.body as { error?: Record<string, unknown> } | undefined)?.error;
  if (!error || typeof error !== 'object') return `not the error shape: ${answer.text.slice(0, 200)}`;
  if (Object.keys(answer.body as object).length !== 1) return 'fields beside `error`';
  if (JSON.stringify(Object.keys(error).sort()) !== JSON.stringify(FIELDS))
    return `fields ${Object.keys(error).join(', ')}`;
  if (!CODES.has(String(error.code))) return `not a catalogue code: ${String(error.code)}`;
  if (answer.status >= 500) return `server error ${answer.status} ${String(error.code)}`;
  if (/\bat .+:\d+:\d+\)?/.test(answer.text) || /node_modules|\/work\/|\.ts:\d+/.test(answer.text)) {
    return 'a stack trace or an internal path';
  }
  return undefined;
}

/**
 * The chain follower's cursors move with the chain, not with requests (they appear a few seconds after
 * start): they are not something hostile input could have written.
 */
const MOVES_WITH_THE_CHAIN = new Set(['chain_cursors']);

/** Documents per collection: compared before and after a run, to prove nothing was written. */
export async function collectionCounts(service: TestApp): Promise<Record<string, number>> {
  const connection = service.app.get<Connection>(getConnectionToken());
  const collections = (await connection.db!.listCollections().toArray()).filter(
    ({ name }) => !MOVES_WITH_THE_CHAIN.has(name),
  );
  const counts: Record<string, number> = {};
  for (const { name } of collections.sort((a, b) => a.name.localeCompare(b.name))) {
    counts[name] = await connection.db!.collection(name).countDocuments();
  }
  return counts;
}
