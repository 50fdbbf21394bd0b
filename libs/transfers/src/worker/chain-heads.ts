import { Injectable } from '@nestjs/common';

import { BlockRef, TronClient } from '@app/tron';

import { PipelineContext } from './pipeline-context';

export interface Heads {
  head: BlockRef;
  solidified: BlockRef;
}

/**
 * The chain head and solidified head, shared by every transfer the tracker looks at within one poll interval
 * (at most a second): with many transfers in flight, each would otherwise cost two extra node calls.
 */
@Injectable()
export class ChainHeads {
  private cached?: { at: number; heads: Promise<Heads> };
  private readonly ttlMs: number;

  constructor(
    private readonly tron: TronClient,
    context: PipelineContext,
  ) {
    this.ttlMs = Math.min(context.settings.pollIntervalMs, 1000);
  }

  get(): Promise<Heads> {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached.heads;
    const heads = Promise.all([this.tron.head(), this.tron.solidifiedHead()]).then(([head, solidified]) => ({
      head,
      solidified,
    }));
    this.cached = { at: Date.now(), heads };
    // A failed read must not be served to the next callers.
    heads.catch(() => (this.cached = undefined));
    return heads;
  }
}
