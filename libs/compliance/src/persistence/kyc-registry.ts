import { KycRecord } from '../domain/screening';

/** The KYC registry (`kyc_levels`). */
export abstract class KycRegistry {
  abstract find(address: string): Promise<KycRecord | null>;
  /** The records of those of `addresses` that have one. */
  abstract findMany(addresses: readonly string[]): Promise<KycRecord[]>;
  /** Creates or replaces the record; returns the one it replaced (null when there was none), read atomically. */
  abstract put(record: KycRecord): Promise<KycRecord | null>;
}
