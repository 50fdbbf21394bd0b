import { AuthUser } from '../roles';

/** The longest a verified token is trusted again without a check, whatever its expiry. */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
/** Tokens kept at most (the oldest go first). */
const MAX_TOKENS = 10_000;
/** Longer tokens are verified every time: ten thousand of them must not hold much memory. */
const MAX_TOKEN_LENGTH = 2_048;

interface Verified {
  user: AuthUser;
  /** ms since the epoch after which the token is verified again */
  until: number;
}

/**
 * Bearer tokens that passed verification, with the caller they named: a client sends the same token with
 * every request until it expires, and verifying it (HMAC or RSA, two JSON parses, passport's machinery) was a
 * tenth of a cached read's CPU. A token is kept by its whole text, so one changed byte is a different,
 * unverified token; until its `exp`, or a minute at most, so an expired token is never accepted and a key
 * withdrawn from a JWKS stops its tokens within a minute. What a token grants (`sub`, `roles`) comes from the
 * token alone, so nothing else can change while it is kept. Refused tokens are never kept.
 */
export class VerifiedTokens {
  private readonly tokens = new Map<string, Verified>();

  constructor(private readonly now: () => number = Date.now) {}

  find(token: string): AuthUser | undefined {
    const verified = this.tokens.get(token);
    if (!verified) return undefined;
    // A copy for each request: nothing one request does to its caller can reach another's.
    if (this.now() < verified.until) return copyOf(verified.user);
    this.tokens.delete(token);
    return undefined;
  }

  /** `token` has just been verified and names `user`. */
  remember(token: string, user: AuthUser): void {
    if (token.length > MAX_TOKEN_LENGTH) return;
    const now = this.now();
    const expiresAt = expiryOf(token);
    const until = Math.min(expiresAt ?? Infinity, now + VERIFIED_TOKEN_TTL_MS);
    if (until <= now) return;
    this.tokens.delete(token);
    this.tokens.set(token, { user: copyOf(user), until });
    // Insertion order is age order: drop the oldest beyond the bound.
    for (const oldest of this.tokens.keys()) {
      if (this.tokens.size <= MAX_TOKENS) break;
      this.tokens.delete(oldest);
    }
  }
}

/** The `exp` of a token already verified, in ms; undefined when it has none (then the TTL alone bounds it). */
function expiryOf(token: string): number | undefined {
  const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  const exp = (payload as { exp?: unknown } | null)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}

function copyOf(user: AuthUser): AuthUser {
  return { sub: user.sub, roles: [...user.roles] };
}
