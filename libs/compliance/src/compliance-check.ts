// PLACEHOLDER written by the lead so the app boots while libs/compliance is being built: replace freely.
import { Injectable } from '@nestjs/common';

import type { KycLevel, Policies } from '@app/policies';
import type { LimitReservation, RuleHit } from '@app/transfers';

export interface ComplianceDraft {
  transferId: string;
  kind: 'transfer' | 'approve';
  wallet: string;
  to: string;
  amountRaw: bigint;
  requestedBy: string;
  at: Date;
}

export interface ComplianceOutcome {
  kycLevel: KycLevel;
  hits: RuleHit[];
  holdReasons: string[];
  reservations: LimitReservation[];
}

@Injectable()
export class ComplianceCheck {
  evaluate(_draft: ComplianceDraft, _policies: Policies): Promise<ComplianceOutcome> {
    return Promise.resolve({ kycLevel: 'none', hits: [], holdReasons: [], reservations: [] });
  }

  release(_transferId: string, _reservations: LimitReservation[]): Promise<void> {
    return Promise.resolve();
  }
}
