import type { ConfigService } from '@nestjs/config';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { AllConfig } from '@app/config';

import { PolicyRecord, PolicyRecordRepository } from './persistence/policy-record.repository';
import { PolicyStore } from './policy-store';

const POLICY_FILE = join(__dirname, '../../../config/security-policies.yaml');

/** One stored record, replaced by compare-and-set on its revision as the Mongo repository does. */
class FakeRecords extends PolicyRecordRepository {
  record: PolicyRecord | null = null;
  find(): Promise<PolicyRecord | null> {
    return Promise.resolve(this.record);
  }
  replace(expectedRevision: number, next: Omit<PolicyRecord, 'revision'>): Promise<boolean> {
    if ((this.record?.revision ?? 0) !== expectedRevision) return Promise.resolve(false);
    this.record = { ...next, revision: expectedRevision + 1 };
    return Promise.resolve(true);
  }
}

describe('PolicyStore', () => {
  let records: FakeRecords;
  let store: PolicyStore;

  beforeEach(() => {
    records = new FakeRecords();
    const settings: Record<string, unknown> = {
      'governance.policyRefreshMs': 0,
      'governance.policyFile': POLICY_FILE,
    };
    const config = { getOrThrow: (key: string) => settings[key] } as unknown as ConfigService<
      AllConfig,
      true
    >;
    store = new PolicyStore(records, config);
    store.onModuleInit();
  });

  it('puts the file in force under the stored revision when the stored document is unreadable, and lets the next change replace it', async () => {
    records.record = {
      revision: 7,
      document: { version: 1, limits: 'not a section' },
      updatedBy: 'admin-1',
      updatedAt: new Date(),
    };
    const inForce = await store.latest();
    expect({ source: inForce.source, revision: inForce.revision }).toEqual({ source: 'file', revision: 7 });

    const shipped = load(readFileSync(POLICY_FILE, 'utf8'));
    const { after } = await store.replace(shipped, 'admin-2', 7);
    expect({ source: after.source, revision: after.revision, by: after.updatedBy }).toEqual({
      source: 'database',
      revision: 8,
      by: 'admin-2',
    });
  });
});
