import { Injectable } from '@nestjs/common';

import { isTronAddress } from '@app/common';

import { TronClient } from './tron-client';

/** How long an answer about a destination is used again. */
const FACT_TTL_MS = 60_000;
/** Answers kept at most (the oldest go first). */
const MAX_FACTS = 50_000;
/**
 * How long a question waits for others to share its node call, when a Multicall batches them. Single payouts
 * arrive a few milliseconds apart under load; 20 ms lets a handful share each call for that much latency.
 */
export const BLACKLIST_LINGER_MS = 20;
/**
 * A question that comes after this long without one does not linger (only the questions of the same moment
 * share its call): a payout made alone, at a quiet time, waits for nobody.
 */
export const BLACKLIST_QUIET_MS = 200;
/** Questions that are sent at once without waiting for the linger to end. */
const MAX_WAITING = 100;

interface Fact {
  at: number;
  answer: Promise<boolean>;
}

interface Waiting {
  promise: Promise<boolean>;
  resolve(blacklisted: boolean): void;
  reject(err: unknown): void;
}

/**
 * Whether the token has blacklisted a destination, as intake's screening asks it (whether it is a contract is
 * cached by TronClient itself). An answer that lets the payout through is used again for a minute: a payout
 * repeated to one address, or a batch retried, asks once. An answer that refuses is not kept (refusals are
 * rare, and an address taken off the blacklist is payable at once). Questions asked at the same time share one
 * node call; a failed call is not kept. So a destination blacklisted within a minute of an earlier check is
 * seen up to a minute late, as one blacklisted after intake is seen only by the pre-signing check of a
 * transaction that reverts.
 *
 * With a Multicall configured, questions about different addresses share node calls too: while questions keep
 * coming they wait up to BLACKLIST_LINGER_MS for others (a batch asks about all its destinations at once; a
 * question after a quiet moment waits for nobody), and each node call answers up to a hundred. TronGrid
 * allows about 15 requests a second per key, so this is what lets a stream of payouts to new addresses go
 * faster than that.
 */
@Injectable()
export class DestinationFacts {
  private readonly facts = new Map<string, Fact>();
  private waiting = new Map<string, Waiting>();
  private lingering?: NodeJS.Timeout;
  private lastAskedAt = -Infinity;

  constructor(private readonly tron: TronClient) {}

  isBlacklisted(address: string): Promise<boolean> {
    return this.cached(`blacklisted:${address}`, () => this.askBlacklisted(address));
  }

  /**
   * Asks about all of a batch's destinations together, so that the checks of its items find their answers
   * kept. A failure is left for those checks to meet (they ask again). Without a Multicall it does nothing:
   * asking one call per address up front would only fire the whole batch's calls at the node's rate limit at
   * once, where the item checks ask a few at a time.
   */
  async prefetchBlacklisted(addresses: readonly string[]): Promise<void> {
    if (!this.tron.batchesBlacklistChecks) return;
    await Promise.all(
      [...new Set(addresses)].map((address) => this.isBlacklisted(address).catch(() => undefined)),
    );
  }

  private askBlacklisted(address: string): Promise<boolean> {
    // A malformed address is refused on its own, not in a call it would fail for every other question.
    if (!this.tron.batchesBlacklistChecks || !isTronAddress(address)) return this.tron.isBlacklisted(address);
    const known = this.waiting.get(address);
    if (known) return known.promise;
    let settle!: Pick<Waiting, 'resolve' | 'reject'>;
    const promise = new Promise<boolean>((resolve, reject) => (settle = { resolve, reject }));
    this.waiting.set(address, { promise, ...settle });
    const now = Date.now();
    const quiet = now - this.lastAskedAt >= BLACKLIST_QUIET_MS;
    this.lastAskedAt = now;
    if (this.waiting.size >= MAX_WAITING) this.send();
    else this.lingering ??= setTimeout(() => this.send(), quiet ? 0 : BLACKLIST_LINGER_MS).unref();
    return promise;
  }

  private send(): void {
    clearTimeout(this.lingering);
    this.lingering = undefined;
    const batch = this.waiting;
    this.waiting = new Map();
    const addresses = [...batch.keys()];
    this.tron.blacklistedAmong(addresses).then(
      (answers) => addresses.forEach((address, i) => batch.get(address)?.resolve(answers[i])),
      (err: unknown) => batch.forEach((waiting) => waiting.reject(err)),
    );
  }

  private cached(key: string, ask: () => Promise<boolean>): Promise<boolean> {
    const now = Date.now();
    const known = this.facts.get(key);
    if (known && now - known.at < FACT_TTL_MS) return known.answer;
    const fact = { at: now, answer: ask() };
    this.facts.delete(key);
    this.facts.set(key, fact);
    const forget = () => {
      if (this.facts.get(key) === fact) this.facts.delete(key);
    };
    fact.answer.then((refuses) => refuses && forget(), forget);
    // Insertion order is age order: drop the oldest beyond the bound.
    for (const oldest of this.facts.keys()) {
      if (this.facts.size <= MAX_FACTS) break;
      this.facts.delete(oldest);
    }
    return fact.answer;
  }
}
