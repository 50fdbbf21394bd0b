/** What an external AML screening service is asked about one payout. */
export interface ScreeningRequest {
  address: string;
  amountRaw: bigint;
  /** The call is abandoned (and counts as an error) after this long. */
  timeoutMs: number;
}

/** The provider's answer. */
export interface ScreeningVerdict {
  blocked: boolean;
  risk?: string;
  reason?: string;
}

/** The provider could not give a verdict: unreachable, timed out, non-2xx, malformed answer, or not configured. */
export class ScreeningProviderError extends Error {
  override name = 'ScreeningProviderError';
}

/**
 * An external AML screening service. An abstract class so that it is its own DI token and tests can replace
 * it. `screen` resolves with a verdict or rejects with ScreeningProviderError; the policy's failure mode
 * decides what an error means.
 */
export abstract class ScreeningProvider {
  abstract screen(request: ScreeningRequest): Promise<ScreeningVerdict>;
}
