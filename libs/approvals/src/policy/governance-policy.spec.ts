import { AppError, ErrorCode } from '@app/common';
import type { ComplianceCheck, ComplianceDraft, ComplianceOutcome } from '@app/compliance';
import { testPolicies } from '@app/compliance/testing/policies';
import type { PolicyStore } from '@app/policies';
import type { OutgoingGate, PolicyDraft } from '@app/transfers';

import { GovernancePolicy } from './governance-policy';

const USDT = 1_000_000n;
const HELD_BY_RULE = 'THeldByRule';
const OVER_LIMIT = 'TOverLimit';

/**
 * Compliance as the policy sees it: an outcome per destination (a rule holds one, a limit refuses another),
 * each item reserving its amount, and a record of what was given back.
 */
class FakeCompliance {
  readonly evaluated: string[] = [];
  readonly released: string[] = [];
  evaluate(draft: ComplianceDraft): Promise<ComplianceOutcome> {
    this.evaluated.push(draft.transferId);
    if (draft.to === OVER_LIMIT) {
      return Promise.reject(new AppError(ErrorCode.LIMIT_EXCEEDED, 'wallet daily limit reached'));
    }
    return Promise.resolve({
      kycLevel: 'none',
      hits: [],
      holdReasons: draft.to === HELD_BY_RULE ? ['rule roundAmount'] : [],
      reservations: [{ counter: `wallet-day:${draft.transferId}`, amountRaw: String(draft.amountRaw) }],
    });
  }
  prepareBatch(): Promise<object> {
    return Promise.resolve({});
  }
  abandon(): Promise<void> {
    return Promise.resolve();
  }
  release(transferId: string): Promise<void> {
    this.released.push(transferId);
    return Promise.resolve();
  }
}

describe('GovernancePolicy: which approval workflow a payout gets', () => {
  const policies = testPolicies(); // high value at 10,000 USDT (quorum 2), batches at 50,000 (quorum 2)
  let compliance: FakeCompliance;
  let stopped: boolean;
  let policy: GovernancePolicy;
  const at = new Date('2026-12-04T12:00:00Z');

  beforeEach(() => {
    compliance = new FakeCompliance();
    stopped = false;
    const gate = {
      assertOpen: () =>
        stopped ? Promise.reject(new AppError(ErrorCode.EMERGENCY_STOP, 'stopped')) : Promise.resolve(),
    } as unknown as OutgoingGate;
    const store = { current: () => Promise.resolve(policies) } as unknown as PolicyStore;
    policy = new GovernancePolicy(gate, store, compliance as unknown as ComplianceCheck);
  });

  const draft = (id: string, usdt: bigint, to = 'TPayee'): PolicyDraft => ({
    transferId: id,
    kind: 'transfer',
    wallet: 'TWallet',
    to,
    amountRaw: usdt * USDT,
    requestedBy: { sub: 'operator-1', roles: ['operator'] },
    at,
  });

  it('approves at once below the high-value threshold when nothing holds it', async () => {
    const decided = await policy.decide(draft('t1', 9_999n));

    expect(decided).toMatchObject({
      outcome: 'approved',
      governance: { workflow: 'default', quorum: 0, reasons: [], votes: [], revision: 0 },
    });
    expect('governance' in decided && decided.governance.expiresAt).toBeUndefined();
    expect('governance' in decided && decided.governance.reservations).toEqual([
      { counter: 'wallet-day:t1', amountRaw: '9999000000' },
    ]);
  });

  it('holds a payout at the threshold for the high-value quorum, expiring after the policy time', async () => {
    const decided = await policy.decide(draft('t1', 10_000n));

    expect(decided).toMatchObject({
      outcome: 'pending_approval',
      governance: {
        workflow: 'high_value',
        quorum: 2,
        reasons: ['amount at or above the high-value threshold of 10000'],
        expiresAt: new Date(at.getTime() + 24 * 3_600_000),
      },
    });
  });

  it('sends a small payout a rule held to review, with the same quorum and the rule as its reason', async () => {
    const decided = await policy.decide(draft('t1', 100n, HELD_BY_RULE));

    expect(decided).toMatchObject({
      outcome: 'pending_approval',
      governance: { workflow: 'review', quorum: 2, reasons: ['rule roundAmount'] },
    });
  });

  it('refuses intake during the emergency stop before any compliance work or reservation', async () => {
    stopped = true;

    await expect(policy.decide(draft('t1', 1n))).rejects.toMatchObject({ code: ErrorCode.EMERGENCY_STOP });
    expect(compliance.evaluated).toEqual([]);
  });

  it('holds every item of a batch whose total reaches the batch threshold, approved as a whole', async () => {
    const items = [draft('b1', 30_000n), draft('b2', 20_000n)];

    const decided = await policy.decideBatch({ batchId: 'batch-1', totalRaw: 50_000n * USDT, items });

    expect(decided.map((d) => [d.outcome, d.governance.workflow, d.governance.quorum])).toEqual([
      ['pending_approval', 'batch_transfer', 2],
      ['pending_approval', 'batch_transfer', 2],
    ]);
    // The item at the high-value threshold says so too.
    expect(decided[0].governance.reasons).toEqual([
      'batch total 50000 at or above the batch threshold of 50000',
      'amount at or above the high-value threshold of 10000',
    ]);
  });

  /** The policy with the batch workflow's quorum set to `quorum` (the high-value one stays 2). */
  const withBatchQuorum = (quorum: number): GovernancePolicy => {
    const { approvals } = policies;
    const lenient = {
      ...policies,
      approvals: { ...approvals, batchTransfer: { ...approvals.batchTransfer, quorum } },
    };
    const store = { current: () => Promise.resolve(lenient) } as unknown as PolicyStore;
    const gate = { assertOpen: () => Promise.resolve() } as unknown as OutgoingGate;
    return new GovernancePolicy(gate, store, compliance as unknown as ComplianceCheck);
  };

  it('keeps the review quorum for a batch item a rule holds, when the batch quorum is smaller', async () => {
    const batchPolicy = withBatchQuorum(1);
    const items = [draft('b1', 30_000n), draft('b2', 100n, HELD_BY_RULE), draft('b3', 19_900n)];

    const decided = await batchPolicy.decideBatch({ batchId: 'batch-1', totalRaw: 50_000n * USDT, items });

    expect(decided.map((d) => [d.governance.workflow, d.governance.quorum])).toEqual([
      ['batch_transfer', 2], // high value
      ['batch_transfer', 2], // held by a rule (an address look-alike, say)
      ['batch_transfer', 2], // high value
    ]);
  });

  it('keeps the batch quorum for items nothing else holds', async () => {
    const batchPolicy = withBatchQuorum(1);
    const items = Array.from({ length: 6 }, (_, i) => draft(`b${i}`, 9_000n));

    const decided = await batchPolicy.decideBatch({ batchId: 'batch-1', totalRaw: 54_000n * USDT, items });

    expect(decided.map((d) => d.governance.quorum)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('decides each item of a smaller batch on its own', async () => {
    const items = [draft('b1', 5n), draft('b2', 10_000n), draft('b3', 5n, HELD_BY_RULE)];

    const decided = await policy.decideBatch({ batchId: 'batch-1', totalRaw: 10_010n * USDT, items });

    expect(decided.map((d) => d.governance.workflow)).toEqual(['default', 'high_value', 'review']);
  });

  it('refuses a whole batch when one item is over a limit, naming it, and gives back what the others took', async () => {
    const items = [draft('b1', 5n), draft('b2', 5n, OVER_LIMIT), draft('b3', 5n)];

    const refused = policy.decideBatch({ batchId: 'batch-1', totalRaw: 15n * USDT, items });

    await expect(refused).rejects.toMatchObject({
      code: ErrorCode.LIMIT_EXCEEDED,
      message: '1 of 3 batch items refused',
      details: [expect.objectContaining({ field: 'items.1', item: 1, code: ErrorCode.LIMIT_EXCEEDED })],
    });
    expect(compliance.released.sort()).toEqual(['b1', 'b3']);
  });
});
