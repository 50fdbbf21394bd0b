import { canonicalHash, canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('writes the same text whatever order the keys were built in, at every depth', () => {
    const a = { b: 1, a: { y: [1, { q: true, p: null }], x: 'x' }, c: 'c' };
    const b = { c: 'c', a: { x: 'x', y: [1, { p: null, q: true }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"p":null,"q":true}]},"b":1,"c":"c"}');
    expect(canonicalHash(a)).toBe(canonicalHash(b));
  });

  it('keeps array order significant', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('writes bigint as its decimal string and Date as its ISO string', () => {
    expect(canonicalJson({ amount: 12_500_000n, at: new Date('2024-05-01T10:00:00.123Z') })).toBe(
      '{"amount":"12500000","at":"2024-05-01T10:00:00.123Z"}',
    );
    expect(canonicalJson(2n ** 70n)).toBe('"1180591620717411303424"');
    // A Date from another realm (as structuredClone or a driver in a vm makes them) is still a Date.
    expect(canonicalJson(structuredClone(new Date(0)))).toBe('"1970-01-01T00:00:00.000Z"');
  });

  it('leaves undefined members out of objects and writes them as null in arrays', () => {
    expect(canonicalJson({ a: undefined, b: 1, f: () => 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });

  it('escapes strings as JSON does and spells non-finite numbers', () => {
    expect(canonicalJson({ 'k"ey': 'line\nbreak "quoted" é' })).toBe(
      '{"k\\"ey":"line\\nbreak \\"quoted\\" é"}',
    );
    expect(canonicalJson([NaN, Infinity, -0])).toBe('["NaN","Infinity",0]');
  });

  it('changes the hash when any single character of any value or key changes', () => {
    const record = {
      seq: 7,
      action: 'policies.replace',
      actor: { id: 'admin-1', roles: ['admin'] },
      after: '{"limits":{"singleMax":"1000"}}',
      prevHash: 'ab'.repeat(32),
    };
    const base = canonicalHash(record);
    const text = canonicalJson(record);
    // Flip every character of the canonical text in turn: each variant that is still JSON must hash apart.
    let variants = 0;
    for (let i = 0; i < text.length; i++) {
      const flipped = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 1) + text.slice(i + 1);
      let parsed: unknown;
      try {
        parsed = JSON.parse(flipped);
      } catch {
        continue;
      }
      variants++;
      expect(canonicalHash(parsed)).not.toBe(base);
    }
    expect(variants).toBeGreaterThan(50);
    expect(canonicalHash({ ...record, seq: 8 })).not.toBe(base);
    expect(canonicalHash({ ...record, actor: { id: 'admin-1', roles: [] } })).not.toBe(base);
  });

  it('refuses a circular value instead of looping', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/too deeply/);
  });
});
