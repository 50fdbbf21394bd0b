import { Injectable } from '@nestjs/common';

import { BrokenLink, ChainVerifier } from '../domain/audit-record';
import { AuditLogRepository } from '../persistence/audit-log.repository';

export type ChainVerification =
  | { ok: true; records: number; lastSeq: number; lastHash: string | null }
  | { ok: false; records: number; firstBroken: BrokenLink };

/** Records fetched per round trip: the walk holds one batch at a time, however long the chain is. */
export const VERIFY_BATCH_SIZE = 500;

/**
 * GET /audit/verify: walks the whole chain in seq order and recomputes every hash and link. `records` is how
 * many were found intact (before the break, if any). A record cut off the end of the chain leaves no trace
 * in the chain itself: compare `lastSeq`/`lastHash` with a value kept elsewhere to catch that.
 */
@Injectable()
export class VerifyAuditChain {
  constructor(private readonly log: AuditLogRepository) {}

  async execute(): Promise<ChainVerification> {
    const verifier = new ChainVerifier();
    // Leaving the loop early (return) closes the cursor.
    for await (const record of this.log.inSeqOrder(VERIFY_BATCH_SIZE)) {
      const broken = verifier.check(record);
      if (broken) return { ok: false, records: verifier.verified, firstBroken: broken };
    }
    const head = verifier.head;
    return { ok: true, records: verifier.verified, lastSeq: head?.seq ?? 0, lastHash: head?.hash ?? null };
  }
}
