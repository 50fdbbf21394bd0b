import { depthExceeds, MAX_JSON_DEPTH } from './json-depth-limit';

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe('depthExceeds', () => {
  it('lets bodies up to the limit through and refuses deeper ones', () => {
    expect(depthExceeds(nested(MAX_JSON_DEPTH) as object, MAX_JSON_DEPTH)).toBe(false);
    expect(depthExceeds(nested(MAX_JSON_DEPTH + 1) as object, MAX_JSON_DEPTH)).toBe(true);
  });

  it('checks a body nested a million deep without overflowing the stack', () => {
    expect(depthExceeds(nested(1_000_000) as object, MAX_JSON_DEPTH)).toBe(true);
  });

  it('counts the deepest branch, not the number of fields', () => {
    const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, { v: [i] }]));
    expect(depthExceeds(wide, 3)).toBe(false);
    expect(depthExceeds({ ...wide, deep: nested(5) }, 3)).toBe(true);
  });
});
