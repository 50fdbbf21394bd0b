import { Injectable } from '@nestjs/common';

import { TronClient } from './tron-client';

/** How long an answer about a destination is used again. */
const FACT_TTL_MS = 60_000;
/** Answers kept at most (the oldest go first). */
const MAX_FACTS = 50_000;

interface Fact {
  at: number;
  answer: Promise<boolean>;
}

/**
 * Whether the token has blacklisted a destination, as intake's screening asks it (whether it is a contract is
 * cached by TronClient itself). An answer that lets the payout through is used again for a minute: a payout
 * repeated to one address, or a batch retried, asks once. An answer that refuses is not kept (refusals are
 * rare, and an address taken off the blacklist is payable at once). Questions asked at the same time share one
 * node call; a failed call is not kept. So a destination blacklisted within a minute of an earlier check is
 * seen up to a minute late, as one blacklisted after intake is seen only by the pre-signing check of a
 * transaction that reverts.
 */
@Injectable()
export class DestinationFacts {
  private readonly facts = new Map<string, Fact>();

  constructor(private readonly tron: TronClient) {}

  isBlacklisted(address: string): Promise<boolean> {
    return this.cached(`blacklisted:${address}`, () => this.tron.isBlacklisted(address));
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
