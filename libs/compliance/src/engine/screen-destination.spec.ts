import { AuditEntry, AuditTrail } from '@app/audit';
import { AppError, ErrorCode } from '@app/common';
import type { Policies } from '@app/policies';
import type { DestinationFacts } from '@app/tron';

import { ComplianceDraft } from '../domain/compliance-draft';
import { ScreeningEntry } from '../domain/screening';
import { ScreeningListRepository } from '../persistence/screening-list.repository';
import {
  ScreeningProvider,
  ScreeningProviderError,
  ScreeningRequest,
  ScreeningVerdict,
} from '../screening/screening-provider';
import { testPolicies } from '../testing/policies';
import { ComplianceBlocks } from './compliance-blocks';
import { ScreenDestination } from './screen-destination';

const TO = 'TPL66VK2gCXNCD7EJg9pgJRfqcRazjhUZY';

class FakeLists extends ScreeningListRepository {
  entries: ScreeningEntry[] = [];
  findByAddresses(addresses: readonly string[]) {
    return Promise.resolve(this.entries.filter((entry) => addresses.includes(entry.address)));
  }
  findMany() {
    return Promise.resolve([]);
  }
  page() {
    return Promise.resolve([]);
  }
  upsertMany() {
    return Promise.resolve();
  }
  remove() {
    return Promise.resolve(null);
  }
}

class FakeProvider extends ScreeningProvider {
  answer: ScreeningVerdict | Error = { blocked: false };
  calls: ScreeningRequest[] = [];
  screen(request: ScreeningRequest) {
    this.calls.push(request);
    return this.answer instanceof Error ? Promise.reject(this.answer) : Promise.resolve(this.answer);
  }
}

class RecordingAudit extends AuditTrail {
  entries: AuditEntry[] = [];
  record(entry: AuditEntry) {
    this.entries.push(entry);
    return Promise.resolve();
  }
}

const entry = (list: 'block' | 'allow', reason?: string): ScreeningEntry => ({
  address: TO,
  list,
  reason,
  source: 'manual',
  addedBy: 'admin-1',
  addedAt: new Date(),
});

describe('ScreenDestination', () => {
  const draft: ComplianceDraft = {
    transferId: 'transfer-1',
    kind: 'transfer',
    wallet: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
    to: TO,
    amountRaw: 5_000_000n,
    requestedBy: 'operator-1',
    at: new Date('2026-11-25T10:00:00Z'),
  };
  let lists: FakeLists;
  let provider: FakeProvider;
  let audit: RecordingAudit;
  let blacklisted: Set<string>;
  let screen: ScreenDestination;
  /** Screens `draft` with its entries on the fake lists, as ComplianceCheck passes them. */
  const screenDraft = (policies: Policies) =>
    screen.execute(
      draft,
      policies,
      lists.entries.filter((entry) => entry.address === draft.to),
    );

  const withProvider = (
    onError: 'fail_closed' | 'fail_open',
    edit: (p: Policies) => void = () => undefined,
  ) => {
    const policies = testPolicies((doc) => {
      doc.screening.provider.enabled = true;
      doc.screening.provider.onError = onError;
    });
    edit(policies);
    return policies;
  };

  async function blockedBy(policies: Policies): Promise<AuditEntry> {
    const err = await screenDraft(policies).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: ErrorCode.COMPLIANCE_BLOCKED,
      message: 'Blocked by compliance screening',
      details: [],
    });
    expect(audit.entries).toHaveLength(1);
    return audit.entries[0];
  }

  beforeEach(() => {
    lists = new FakeLists();
    provider = new FakeProvider();
    audit = new RecordingAudit();
    blacklisted = new Set();
    const tron = {
      isBlacklisted: (address: string) => Promise.resolve(blacklisted.has(address)),
    } as unknown as DestinationFacts;
    screen = new ScreenDestination(tron, provider, new ComplianceBlocks(audit));
  });

  it('passes a clean destination with nothing to note', async () => {
    await expect(screenDraft(withProvider('fail_closed'))).resolves.toEqual({
      hits: [],
      holdReasons: [],
    });
    expect(provider.calls).toEqual([{ address: TO, amountRaw: 5_000_000n, timeoutMs: 2000 }]);
  });

  it('blocks a blocklisted destination first and audits the reason, never telling the caller', async () => {
    lists.entries = [entry('block', 'fraud report 42'), entry('allow')];
    blacklisted.add(TO);
    const audited = await blockedBy(withProvider('fail_closed'));
    expect(audited).toMatchObject({
      action: 'compliance.blocked',
      subject: { type: 'transfer', id: 'transfer-1' },
      details: { check: 'blocklist', to: TO, reason: expect.stringContaining('fraud report 42') },
    });
    expect(provider.calls).toHaveLength(0);
  });

  it('blocks a destination the token contract blacklisted, unless the policy turns the check off', async () => {
    blacklisted.add(TO);
    expect((await blockedBy(testPolicies())).details).toMatchObject({ check: 'contract_blacklist' });
    audit.entries = [];
    const off = testPolicies((doc) => (doc.screening.contractBlacklist = false));
    await expect(screenDraft(off)).resolves.toEqual({ hits: [], holdReasons: [] });
  });

  it('blocks what the provider flags, with its risk and reason in the audit', async () => {
    provider.answer = { blocked: true, risk: 'severe', reason: 'mixer' };
    expect((await blockedBy(withProvider('fail_open'))).details).toMatchObject({
      check: 'provider',
      reason: expect.stringMatching(/severe.*mixer/),
    });
  });

  it('fails closed on a provider error when the policy says so', async () => {
    provider.answer = new ScreeningProviderError('provider did not answer within 2000 ms');
    expect((await blockedBy(withProvider('fail_closed'))).details).toMatchObject({ check: 'provider_error' });
  });

  it('fails open with a provider_unscreened note when the policy says so', async () => {
    provider.answer = new ScreeningProviderError('provider answered HTTP 500');
    await expect(screenDraft(withProvider('fail_open'))).resolves.toEqual({
      hits: [
        {
          rule: 'provider_unscreened',
          action: 'note',
          detail: expect.stringContaining('HTTP 500'),
          at: draft.at,
        },
      ],
      holdReasons: [],
    });
    expect(audit.entries).toHaveLength(0);
  });

  it('does not call the provider when the policy disables it', async () => {
    await screenDraft(testPolicies());
    expect(provider.calls).toHaveLength(0);
  });

  it('holds a destination that is not allow-listed in allow-list mode, and lets an allow-listed one through', async () => {
    const allowlistMode = testPolicies((doc) => (doc.screening.allowlistMode = true));
    await expect(screenDraft(allowlistMode)).resolves.toEqual({
      hits: [expect.objectContaining({ rule: 'allowlist', action: 'approval' })],
      holdReasons: ['allowlist'],
    });
    lists.entries = [entry('allow')];
    await expect(screenDraft(allowlistMode)).resolves.toEqual({ hits: [], holdReasons: [] });
  });
});
