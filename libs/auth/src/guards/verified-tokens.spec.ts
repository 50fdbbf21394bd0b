import { sign } from 'jsonwebtoken';

import { VERIFIED_TOKEN_TTL_MS, VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  let now: number;
  const user = { sub: 'alice', roles: ['viewer' as const] };
  const token = (claims: object) => sign(claims, 'a-secret-that-does-not-matter-here-0123456789');

  beforeEach(() => {
    now = Date.parse('2026-12-07T12:00:00Z');
  });

  it('keeps a token until its exp, not a moment longer', () => {
    const tokens = new VerifiedTokens(() => now);
    const t = token({ sub: 'alice', exp: now / 1000 + 10 });
    tokens.remember(t, user);
    expect(tokens.find(t)).toEqual(user);
    now += 9_999;
    expect(tokens.find(t)).toEqual(user);
    now += 1;
    expect(tokens.find(t)).toBeUndefined();
  });

  it('keeps a token without exp, or with a far one, a minute at most', () => {
    const tokens = new VerifiedTokens(() => now);
    const forever = token({ sub: 'alice' });
    const far = token({ sub: 'alice', exp: now / 1000 + 86_400 });
    tokens.remember(forever, user);
    tokens.remember(far, user);
    now += VERIFIED_TOKEN_TTL_MS - 1;
    expect([tokens.find(forever), tokens.find(far)]).toEqual([user, user]);
    now += 1;
    expect([tokens.find(forever), tokens.find(far)]).toEqual([undefined, undefined]);
  });

  it('knows a token only by its whole text, and keeps none already expired or overlong', () => {
    const tokens = new VerifiedTokens(() => now);
    const t = token({ sub: 'alice', exp: now / 1000 + 10 });
    tokens.remember(t, user);
    expect(tokens.find(`${t}x`)).toBeUndefined();
    expect(tokens.find(t.slice(0, -1))).toBeUndefined();
    const expired = token({ sub: 'alice', exp: now / 1000 - 1 });
    tokens.remember(expired, user);
    expect(tokens.find(expired)).toBeUndefined();
    const long = token({ sub: 'alice', pad: 'x'.repeat(3_000) });
    tokens.remember(long, user);
    expect(tokens.find(long)).toBeUndefined();
  });
});
