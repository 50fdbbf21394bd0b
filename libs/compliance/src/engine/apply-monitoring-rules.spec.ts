import type { ResolveWallet } from '@app/wallets';

import { ComplianceDraft } from '../domain/compliance-draft';
import type { PayoutHistory, PayoutScope } from '../persistence/payout-history';
import { testPolicies } from '../testing/policies';
import { ApplyMonitoringRules } from './apply-monitoring-rules';
import type { GroupedFactReads } from './grouped-fact-reads';
import type { HistoryFacts } from './intake-facts';
import type { RecentVelocity } from './recent-velocity';

const WALLET = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';
const PAID = 'TPL66VK2gCXNCD7EJg9pgJRfqcRazjhUZY';
// Shares the first 5 and last 4 characters with PAID: a look-alike under the shipped rule.
const LOOKALIKE = `TPL66${'a'.repeat(24)}jhUZY`;

function draft(to: string): ComplianceDraft {
  return {
    transferId: 't1',
    kind: 'transfer',
    wallet: WALLET,
    to,
    amountRaw: 50_000_000n,
    requestedBy: 'op',
    at: new Date('2026-12-07T10:00:00Z'),
  };
}

describe('ApplyMonitoringRules', () => {
  const reads: string[] = [];
  const history = {
    paidWithEnds: (to: string) => {
      reads.push(`lookalikes ${to}`);
      return Promise.resolve(to === PAID ? [] : [PAID]);
    },
  } as unknown as PayoutHistory;
  const wallets = { allHotWalletAddresses: () => Promise.resolve([]) } as unknown as ResolveWallet;
  const rules = new ApplyMonitoringRules(history, wallets, {} as RecentVelocity, {} as GroupedFactReads);
  /** Facts that know PAID was paid when `known`, and otherwise answer a read. */
  const facts = (known: boolean): HistoryFacts => ({
    knownPaid: (to: string) => known && to === PAID,
    hasPaid: (to: string, scope: PayoutScope) => {
      reads.push(`paid ${scope.kind} ${to}`);
      return Promise.resolve(to === PAID);
    },
    countFrom: () => Promise.resolve(0),
    countToInBand: () => Promise.resolve(0),
  });
  const policies = testPolicies((doc) => (doc.monitoring.velocity.enabled = false));

  beforeEach(() => (reads.length = 0));

  it('reads nothing about a destination known to be paid: it is neither a first payout nor a look-alike', async () => {
    expect(await rules.execute(draft(PAID), policies, facts(true))).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('reads whether it was paid and its look-alikes side by side otherwise, and holds a look-alike', async () => {
    const findings = await rules.execute(draft(LOOKALIKE), policies, facts(true));
    expect(reads).toEqual([`paid transfer ${LOOKALIKE}`, `lookalikes ${LOOKALIKE}`]);
    expect(findings.map((finding) => finding.rule)).toEqual(['lookalike']);

    reads.length = 0;
    expect(await rules.execute(draft(PAID), policies, facts(false))).toEqual([]);
    expect(reads).toEqual([`paid transfer ${PAID}`, `lookalikes ${PAID}`]);
  });
});
