import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@app/audit';
import type { AuthUser } from '@app/auth';

import { EffectivePolicies, PolicyStore, toPlain } from '../policy-store';

/**
 * Puts a policy document in force at once (PUT /policies while the policy-change quorum is 1): validate,
 * store for every instance, and audit the change with before and after.
 */
@Injectable()
export class ReplacePolicies {
  constructor(
    private readonly store: PolicyStore,
    private readonly audit: AuditTrail,
  ) {}

  async execute(document: unknown, caller: AuthUser, expectedRevision?: number): Promise<EffectivePolicies> {
    const { before, after } = await this.store.replace(document, caller.sub, expectedRevision);
    await this.audit.record({
      action: 'policies.replace',
      subject: { type: 'policies', id: `revision-${after.revision}` },
      before: toPlain(before.document),
      after: toPlain(after.document),
    });
    return after;
  }
}
