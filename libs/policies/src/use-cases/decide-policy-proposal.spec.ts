import type { AuditTrail } from '@app/audit';
import type { AuthUser } from '@app/auth';

import { PolicyProposal, ProposalVote } from '../domain/policy-proposal';
import { PolicyProposalRepository } from '../persistence/policy-proposal.repository';
import type { EffectivePolicies, PolicyStore } from '../policy-store';
import { DecidePolicyProposal } from './decide-policy-proposal';
import { ReconcileProposal } from './reconcile-proposal';

/** The repository's guarded updates, in memory. */
class InMemoryProposals extends PolicyProposalRepository {
  readonly byId = new Map<string, PolicyProposal>();

  insert(): Promise<PolicyProposal> {
    throw new Error('not used');
  }
  list(): Promise<PolicyProposal[]> {
    throw new Error('not used');
  }
  findById(id: string): Promise<PolicyProposal | null> {
    const found = this.byId.get(id);
    return Promise.resolve(found ? structuredClone(found) : null);
  }
  async addVote(id: string, expectedRevision: number, vote: ProposalVote): Promise<PolicyProposal | null> {
    const p = this.byId.get(id);
    if (p?.status !== 'pending' || p.revision !== expectedRevision) return null;
    this.byId.set(id, { ...p, votes: [...p.votes, vote], revision: p.revision + 1 });
    return this.findById(id);
  }
  async close(
    id: string,
    expectedRevision: number,
    outcome: { status: PolicyProposal['status']; vote?: ProposalVote; appliedRevision?: number },
  ): Promise<PolicyProposal | null> {
    const p = this.byId.get(id);
    if (p?.status !== 'pending' || p.revision !== expectedRevision) return null;
    this.byId.set(id, {
      ...p,
      status: outcome.status,
      votes: outcome.vote ? [...p.votes, outcome.vote] : p.votes,
      decidedAt: new Date(),
      revision: p.revision + 1,
      ...(outcome.appliedRevision !== undefined && { appliedRevision: outcome.appliedRevision }),
    });
    return this.findById(id);
  }
  async addFinalVote(id: string, vote: ProposalVote): Promise<PolicyProposal | null> {
    const p = this.byId.get(id);
    if (p?.status !== 'applied' || p.votes.some((v) => v.by === vote.by)) return null;
    this.byId.set(id, { ...p, votes: [...p.votes, vote], revision: p.revision + 1 });
    return this.findById(id);
  }
}

const admin = (sub: string): AuthUser => ({ sub, roles: ['admin'] });

describe('DecidePolicyProposal', () => {
  const audit = { record: jest.fn().mockResolvedValue(undefined) } as unknown as AuditTrail;
  let proposals: InMemoryProposals;
  let inForce: EffectivePolicies;

  beforeEach(() => {
    proposals = new InMemoryProposals();
    proposals.byId.set('p1', {
      id: 'p1',
      status: 'pending',
      document: {},
      baseRevision: 0,
      proposedBy: 'admin-1',
      quorum: 2,
      votes: [{ by: 'admin-1', decision: 'approve', at: new Date() }],
      expiresAt: new Date(Date.now() + 60_000),
      createdAt: new Date(),
      revision: 0,
    });
    inForce = { revision: 0, source: 'file' } as EffectivePolicies;
  });

  it('keeps the applying vote on the proposal when a reconcile closes it between the policy write and the vote', async () => {
    const reconcile = new ReconcileProposal(proposals, audit);
    const store = {
      latest: () => Promise.resolve(inForce),
      // The sweeper's interleaving: right after the record names the proposal, it reconciles it as applied.
      replace: async () => {
        const before = inForce;
        inForce = { ...before, revision: 1, proposalId: 'p1', approvedBy: ['admin-1', 'admin-2'] };
        await reconcile.execute((await proposals.findById('p1'))!, inForce);
        return { before, after: inForce };
      },
    } as unknown as PolicyStore;
    const decide = new DecidePolicyProposal(proposals, store, reconcile, audit);

    const decided = await decide.execute('p1', admin('admin-2'), 'approve', 'checked');

    expect(decided).toMatchObject({ status: 'applied', appliedRevision: 1 });
    expect(decided.votes.map((v) => [v.by, v.decision, v.comment])).toEqual([
      ['admin-1', 'approve', undefined],
      ['admin-2', 'approve', 'checked'],
    ]);
    // Once: a second attempt to record it finds the voter already there.
    const vote = decided.votes[1];
    expect(await proposals.addFinalVote('p1', vote)).toBeNull();
    expect((await proposals.findById('p1'))!.votes).toHaveLength(2);
  });
});
