import { Injectable } from '@nestjs/common';

import { KycRecord } from '../domain/screening';
import { KycRegistry } from '../persistence/kyc-registry';

export type KycLookup = Pick<KycRecord, 'address' | 'level'> & Partial<Omit<KycRecord, 'address' | 'level'>>;

/** The KYC level recorded for an address; an address nobody classified is `none`. */
@Injectable()
export class GetKycLevel {
  constructor(private readonly registry: KycRegistry) {}

  async execute(address: string): Promise<KycLookup> {
    return (await this.registry.find(address)) ?? { address, level: 'none' };
  }
}
