export { ComplianceModule } from './compliance.module';
export { ComplianceCheck } from './engine/compliance-check';
export type { ComplianceDraft, ComplianceOutcome } from './domain/compliance-draft';
export type { LimitName } from './domain/limit-keys';
export type { KycRecord, ScreeningEntry, ScreeningList } from './domain/screening';
export { GetKycLevel } from './use-cases/get-kyc-level';
export type { KycLookup } from './use-cases/get-kyc-level';
export { ScreeningProvider, ScreeningProviderError } from './screening/screening-provider';
export type { ScreeningRequest, ScreeningVerdict } from './screening/screening-provider';
