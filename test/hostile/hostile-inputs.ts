import fc from 'fast-check';

import { isTronAddress, parseUsdtAmount } from '@app/common';

/** The strings parseUsdtAmount accepts; the generators below keep only the ones it refuses. */
function isAmount(value: unknown): boolean {
  try {
    parseUsdtAmount(value);
    return true;
  } catch {
    return false;
  }
}

const VALID_ADDRESS = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

/** Characters that look like base58 ones: Cyrillic, Greek, fullwidth, and invisible ones. */
const LOOK_ALIKES = [
  'Т',
  'Ꭲ',
  'Ｔ',
  'Ο',
  'о',
  'ο',
  'Ｒ',
  '７',
  'Ɩ',
  'ⅼ',
  '\u200b',
  '\u200d',
  '\u00a0',
  '\ufeff',
];

/** Addresses a person could mistake for a real one, and other near misses: never a valid address. */
export const hostileAddress: fc.Arbitrary<unknown> = fc
  .oneof(
    fc
      .record({ at: fc.nat({ max: VALID_ADDRESS.length - 1 }), char: fc.constantFrom(...LOOK_ALIKES) })
      .map(({ at, char }) => VALID_ADDRESS.slice(0, at) + char + VALID_ADDRESS.slice(at + 1)),
    fc
      .record({ at: fc.nat({ max: VALID_ADDRESS.length }), char: fc.constantFrom(...LOOK_ALIKES) })
      .map(({ at, char }) => VALID_ADDRESS.slice(0, at) + char + VALID_ADDRESS.slice(at)),
    // One character's case changed: the shape survives, the checksum does not.
    fc.nat({ max: VALID_ADDRESS.length - 1 }).map((at) => {
      const c = VALID_ADDRESS[at];
      return (
        VALID_ADDRESS.slice(0, at) +
        (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) +
        VALID_ADDRESS.slice(at + 1)
      );
    }),
    fc.constant('41a614f803b6fd780986a42c78ec9c7f77e6ded13c'),
    fc.constant(` ${VALID_ADDRESS}`),
    fc.constant(`${VALID_ADDRESS}\n`),
    fc.string({ maxLength: 40 }),
    fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.constant(VALID_ADDRESS), { maxLength: 2 }),
    ),
  )
  .filter((value) => !isTronAddress(value));

/** Amounts at and past every boundary, in every wrong type: never one the service accepts. */
export const hostileAmount: fc.Arbitrary<unknown> = fc
  .oneof(
    fc.constantFrom(
      '0',
      '0.0',
      '-1',
      '+1',
      '1e3',
      '1E-6',
      '0x10',
      '01',
      '1.',
      '.5',
      ' 1',
      '1 ',
      '1,5',
      'NaN',
      'Infinity',
    ),
    fc.constantFrom('0.0000001', '1.1234567', '1000000000000', '999999999999.9999999', '9'.repeat(40)),
    fc.constantFrom('１２', '١٢', '१२', '12\u200b', '½'),
    fc.double(),
    fc
      .bigInt()
      .map((n) => n.toString())
      .filter((s) => s.startsWith('-') || s.length > 12 || s === '0'),
    fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.object({ maxDepth: 1 })),
    fc.string({ maxLength: 30 }),
  )
  .filter((value) => !isAmount(value));

/** Idempotency-Key values the service must refuse (USDT_ERR_104): wrong length, characters, duplicates. */
export const hostileIdempotencyKey: fc.Arbitrary<string | undefined> = fc
  .oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 7 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'a')),
    fc.constant('k'.repeat(129)),
    fc.stringMatching(/^[A-Za-z0-9]{4,20}[ !"#$%&'()*+,/;<=>?@[\\\]^`{|}~][A-Za-z0-9]{4,20}$/),
    // Two Idempotency-Key headers arrive joined by a comma.
    fc.stringMatching(/^[A-Za-z0-9]{8,20}$/).map((key) => `${key}, ${key}`),
  )
  .filter((key) => key === undefined || !/^[A-Za-z0-9_.:-]{8,128}$/.test(key));

/** X-Request-Id values a client may send; only plain tokens may be echoed back. */
export const anyRequestId: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/),
  fc.string({ maxLength: 300 }).map((s) => s.replace(/[^\x20-\x7e]/g, '?')),
  fc.constant('x'.repeat(129)),
  fc.constant('<script>alert(1)</script>'),
  fc.constant("' OR 1=1 --"),
);

/** Bodies that are not a JSON object the service could accept: broken, of another type, deep or huge. */
export const hostileRawBody: fc.Arbitrary<{ kind: string; text: string }> = fc.oneof(
  fc
    .constantFrom('{', '{"a":', '{"a":1,}', "{'a':1}", '{"a":NaN}', '[1,2', 'nul', '{"a":"\\x"}', '\u0000')
    .map((text) => ({ kind: 'malformed JSON', text })),
  fc
    .oneof(fc.integer(), fc.string(), fc.constant(null), fc.boolean(), fc.array(fc.integer()))
    .map((value) => ({ kind: 'not an object', text: JSON.stringify(value) })),
  fc
    .integer({ min: 1_000, max: 20_000 })
    .map((depth) => ({ kind: 'deep', text: `{"to":${'['.repeat(depth)}${']'.repeat(depth)}}` })),
  fc
    .integer({ min: 300_000, max: 600_000 })
    .map((size) => ({ kind: 'huge', text: JSON.stringify({ memo: 'm'.repeat(size) }) })),
);

/** Object bodies with wrong types, missing fields and one field no DTO has (so none can be accepted). */
export const hostileObjectBody: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    fields: fc.dictionary(
      fc.constantFrom(
        'to',
        'amount',
        'spender',
        'wallet',
        'memo',
        'reference',
        'items',
        'comment',
        'reason',
        'level',
        'list',
        'entries',
        'privateKey',
        'label',
        'limits',
        'version',
        '__proto__',
        'constructor',
      ),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileAmount, hostileAddress),
      { maxKeys: 6 },
    ),
    extra: fc.stringMatching(/^[a-z]{3,12}$/),
    value: fc.jsonValue({ maxDepth: 1 }),
  })
  .map(({ fields, extra, value }) => ({ ...fields, [`x_${extra}`]: value }));
