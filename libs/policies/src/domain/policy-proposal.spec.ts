import { PolicyProposal, reconciledStatus, votesNeeded } from './policy-proposal';

const now = new Date('2026-12-02T12:00:00Z');

function proposal(overrides: Partial<PolicyProposal> = {}): PolicyProposal {
  return {
    id: 'p-1',
    status: 'pending',
    document: {},
    baseRevision: 3,
    proposedBy: 'alice',
    quorum: 3,
    votes: [{ by: 'alice', decision: 'approve', at: now }],
    expiresAt: new Date(now.getTime() + 60_000),
    createdAt: now,
    revision: 0,
    ...overrides,
  };
}

describe('policy proposals', () => {
  it('counts the approvals still missing, the proposer included, and none once decided', () => {
    expect(votesNeeded(proposal())).toBe(2);
    const twoVotes = proposal({ votes: [...proposal().votes, { by: 'bob', decision: 'approve', at: now }] });
    expect(votesNeeded(twoVotes)).toBe(1);
    expect(votesNeeded({ ...twoVotes, status: 'rejected' })).toBe(0);
  });

  it('stays pending while based on the revision in force and not expired', () => {
    expect(reconciledStatus(proposal(), { revision: 3 }, now)).toBe('pending');
  });

  it('is applied when the revision in force came from it, even past its expiry', () => {
    const late = proposal({ expiresAt: new Date(now.getTime() - 1) });
    expect(reconciledStatus(late, { revision: 4, proposalId: 'p-1' }, now)).toBe('applied');
  });

  it('is superseded once another change is in force, expired past its time', () => {
    expect(reconciledStatus(proposal(), { revision: 4, proposalId: 'p-2' }, now)).toBe('superseded');
    expect(reconciledStatus(proposal({ expiresAt: now }), { revision: 3 }, now)).toBe('expired');
  });

  it('keeps a decided status whatever is in force', () => {
    expect(reconciledStatus(proposal({ status: 'rejected' }), { revision: 9 }, now)).toBe('rejected');
  });
});
