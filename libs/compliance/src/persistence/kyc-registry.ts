import { KycRecord } from '../domain/screening';

/** The KYC registry (`kyc_levels`). */
export abstract class KycRegistry {
  abstract find(address: string): Promise<KycRecord | null>;
  /** Creates or replaces the record; returns the one it replaced (null when there was none), read atomically. */
  abstract put(record: KycRecord): Promise<KycRecord | null>;
}
