import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@app/audit';
import type { AuthUser } from '@app/auth';
import type { KycLevel } from '@app/policies';

import { KycRecord } from '../domain/screening';
import { KycRegistry } from '../persistence/kyc-registry';
import { kycView } from './views';

export interface SetKycLevelCommand {
  address: string;
  level: KycLevel;
  note?: string;
}

/** PUT /compliance/kyc/:address: records the level and audits the change with before and after. */
@Injectable()
export class SetKycLevel {
  constructor(
    private readonly registry: KycRegistry,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: SetKycLevelCommand, caller: AuthUser): Promise<KycRecord> {
    const record: KycRecord = {
      address: command.address,
      level: command.level,
      ...(command.note !== undefined ? { note: command.note } : {}),
      updatedBy: caller.sub,
      updatedAt: new Date(),
    };
    const before = await this.registry.put(record);
    await this.audit.record({
      action: 'compliance.kyc.set',
      subject: { type: 'kyc', id: record.address },
      before: before ? kycView(before) : null,
      after: kycView(record),
    });
    return record;
  }
}
