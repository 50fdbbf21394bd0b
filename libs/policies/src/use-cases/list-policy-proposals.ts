import { Injectable, NotFoundException } from '@nestjs/common';

import { AppError, ErrorCode } from '@app/common';

import { PolicyProposal, PROPOSAL_CURSOR_PATTERN, ProposalStatus } from '../domain/policy-proposal';
import { PolicyProposalRepository } from '../persistence/policy-proposal.repository';
import { PolicyStore } from '../policy-store';
import { ReconcileProposal } from './reconcile-proposal';

export interface ProposalListFilter {
  status?: ProposalStatus;
  limit: number;
  cursor?: string;
}

/** Policy proposals newest first (opaque cursor), each reconciled with the policies in force first. */
@Injectable()
export class ListPolicyProposals {
  constructor(
    private readonly proposals: PolicyProposalRepository,
    private readonly store: PolicyStore,
    private readonly reconcile: ReconcileProposal,
  ) {}

  async list(filter: ProposalListFilter): Promise<{ items: PolicyProposal[]; nextCursor: string | null }> {
    const found = await this.proposals.list({
      status: filter.status,
      cursor: decodeCursor(filter.cursor),
      limit: filter.limit + 1,
    });
    const page = found.slice(0, filter.limit);
    const inForce = await this.store.latest();
    const now = new Date();
    const items: PolicyProposal[] = [];
    for (const proposal of page) items.push(await this.reconcile.execute(proposal, inForce, now));
    const last = page[page.length - 1];
    return { items, nextCursor: found.length > filter.limit && last ? encodeCursor(last) : null };
  }

  async get(id: string): Promise<PolicyProposal> {
    const proposal = await this.proposals.findById(id);
    if (!proposal) throw new NotFoundException('No policy proposal with that id');
    return this.reconcile.execute(proposal, await this.store.latest());
  }
}

function encodeCursor(proposal: PolicyProposal): string {
  return `${proposal.createdAt.getTime()}_${proposal.id}`;
}

/** Any string matching PROPOSAL_CURSOR_PATTERN is a position (the DTO refuses every other string). */
function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  if (!PROPOSAL_CURSOR_PATTERN.test(cursor)) {
    throw new AppError(ErrorCode.INVALID_QUERY, 'cursor is not one this service returned', [
      { field: 'cursor', message: 'invalid' },
    ]);
  }
  const [ms, id] = cursor.split('_');
  return { createdAt: new Date(Number(ms)), id };
}
