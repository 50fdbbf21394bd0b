import { types } from 'node:util';

/** What a secret is replaced with in the audit log. */
export const REDACTED = '[redacted]';

/**
 * Key names whose values are never stored, compared after lower-casing and dropping `_`, `-` and spaces
 * (so `private_key`, `privateKey` and `PRIVATE-KEY` all match). Over-redacting a harmless field such as
 * `tokenAddress` is the accepted price of never storing a secret.
 */
const SECRET_NAME_PARTS = [
  'privatekey',
  'privkey',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'token',
  'apikey',
  'masterkey',
  'authorization',
  'signature',
  'ciphertext',
  'encryptedkey',
  'keymaterial',
  'mnemonic',
  'seed',
  'cookie',
  'credential',
  'jwt',
  'bearer',
];

/** A raw secp256k1 private key as written in TRON tooling: 64 hex digits, optionally 0x-prefixed. */
const HEX_PRIVATE_KEY = /^(0x)?[0-9a-fA-F]{64}$/;
/** Strings that are credentials whatever key they sit under. */
const SECRET_VALUES = [
  /\bbearer\s+[A-Za-z0-9._~+/-]{16,}/i,
  /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\./, // a JWT: base64url('{"...') twice
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

const MAX_DEPTH = 32;

export function isSecretName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[\s_-]/g, '');
  return SECRET_NAME_PARTS.some((part) => normalized.includes(part));
}

/** A name that says "key" (walletKey, key, hotKeys) but not which key (keyId): a 64-hex value under it is one. */
function isKeyishName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[\s_-]/g, '');
  return /key/.test(normalized) && !/keyid/.test(normalized);
}

/**
 * Turns anything a caller hands the audit trail into plain JSON data with every secret replaced by
 * `[redacted]`:
 * - values under secret-looking keys (see SECRET_NAME_PARTS), at any depth, including inside arrays;
 * - 64-hex strings (private keys) under key-like names, bearer tokens, JWTs and PEM private keys anywhere;
 * - binary data (Buffer, typed arrays), which may be key material, becomes `[binary N bytes]`.
 * bigint becomes its decimal string, Date its ISO string, Map an object, Set an array, an Error its name and
 * message; functions and symbols are dropped, cycles become `[circular]`.
 */
export function redactSecrets(value: unknown): unknown {
  return clean(value, undefined, 0, new WeakSet<object>());
}

function clean(value: unknown, name: string | undefined, depth: number, seen: WeakSet<object>): unknown {
  if (value === undefined || value === null) return value;
  if (name !== undefined && isSecretName(name)) return REDACTED;
  switch (typeof value) {
    case 'string':
      return cleanString(value, name);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'function':
    case 'symbol':
      return undefined;
  }
  const object: object = value; // every primitive has returned above
  if (types.isDate(object)) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  if (ArrayBuffer.isView(object) || types.isAnyArrayBuffer(object)) {
    return `[binary ${object.byteLength} bytes]`;
  }
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(object)) return '[circular]';
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      // Items inherit the array's name: `privateKeys: ['…']` is as secret as `privateKey: '…'`.
      return object.map((item: unknown) => {
        const cleaned = clean(item, name, depth + 1, seen);
        return cleaned === undefined ? null : cleaned;
      });
    }
    if (types.isSet(object)) return clean([...object], name, depth, seen);
    if (types.isMap(object)) {
      const entries = [...object].map(([k, v]) => [String(k), v] as const);
      return cleanEntries(entries, depth, seen);
    }
    if (types.isNativeError(object)) {
      return cleanEntries(
        [
          ['name', object.name],
          ['message', object.message],
        ],
        depth,
        seen,
      );
    }
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      return clean((toJSON as () => unknown).call(object), name, depth + 1, seen);
    }
    return cleanEntries(Object.entries(object), depth, seen);
  } finally {
    seen.delete(object);
  }
}

function cleanString(value: string, name: string | undefined): string {
  if (SECRET_VALUES.some((pattern) => pattern.test(value))) return REDACTED;
  if (name !== undefined && isKeyishName(name) && HEX_PRIVATE_KEY.test(value)) return REDACTED;
  return value;
}

function cleanEntries(
  entries: ReadonlyArray<readonly [string, unknown]>,
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const cleaned = clean(item, key, depth + 1, seen);
    // defineProperty: a `__proto__` key stays data instead of replacing the prototype.
    if (cleaned !== undefined) {
      Object.defineProperty(out, key, {
        value: cleaned,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}
