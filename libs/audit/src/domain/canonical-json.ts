import { createHash } from 'node:crypto';
import { types } from 'node:util';

/**
 * A stable JSON text for hashing: object keys sorted by UTF-16 code unit, no whitespace, `undefined` members
 * left out (and written `null` inside arrays, as JSON.stringify does). Values JSON has no spelling for get a
 * fixed one: bigint as its decimal string, Date as its ISO string, a non-finite number as its name.
 * The same value always gives the same text whatever order its keys were built in.
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

/** SHA-256 of the canonical JSON text (UTF-8), lower-case hex. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const MAX_DEPTH = 64;

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new Error('canonicalJson: value nested too deeply (or circular)');
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object':
      if (value === null) return 'null';
      // util.types rather than instanceof: a Date made in another realm (vm, structuredClone) is still a Date.
      if (types.isDate(value)) {
        return JSON.stringify(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
      }
      if (Array.isArray(value)) {
        return `[${value.map((item) => (isAbsent(item) ? 'null' : write(item, depth + 1))).join(',')}]`;
      }
      return writeObject(value as Record<string, unknown>, depth);
    default:
      // undefined, functions and symbols have no JSON form: absent at the top level too.
      return 'null';
  }
}

function writeObject(value: Record<string, unknown>, depth: number): string {
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = value[key];
    if (isAbsent(member)) continue;
    members.push(`${JSON.stringify(key)}:${write(member, depth + 1)}`);
  }
  return `{${members.join(',')}}`;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
