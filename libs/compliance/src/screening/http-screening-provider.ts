import { Logger } from '@nestjs/common';

import { formatUsdtAmount } from '@app/common';

import {
  ScreeningProvider,
  ScreeningProviderError,
  ScreeningRequest,
  ScreeningVerdict,
} from './screening-provider';

export interface HttpScreeningProviderSettings {
  /** AML_PROVIDER_URL; unset while the policy enables the provider means every call is an error. */
  url?: string;
  /** AML_PROVIDER_API_KEY, sent as a bearer token and never logged. */
  apiKey?: string;
  /** Network name sent with every request (mainnet, nile, devnet...). */
  network: string;
}

/** Largest answer read from the provider; a verdict is a few dozen bytes. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Screens an address by POSTing `{ address, amount, asset: 'USDT', network }` as JSON to the configured URL
 * and reading `{ blocked: boolean, risk?: string, reason?: string }`. Anything else (timeout, network
 * error, non-2xx status, another body) is a ScreeningProviderError.
 */
export class HttpScreeningProvider extends ScreeningProvider {
  private readonly logger = new Logger('ScreeningProvider');
  private warnedUnconfigured = false;

  constructor(private readonly settings: HttpScreeningProviderSettings) {
    super();
  }

  async screen(request: ScreeningRequest): Promise<ScreeningVerdict> {
    const { url, apiKey, network } = this.settings;
    if (!url) {
      if (!this.warnedUnconfigured) {
        this.warnedUnconfigured = true;
        this.logger.warn(
          'the security policy enables the AML screening provider but AML_PROVIDER_URL is not set: ' +
            'every screening counts as a provider error (the policy onError mode applies)',
        );
      }
      throw new ScreeningProviderError('no AML_PROVIDER_URL configured');
    }

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify({
          address: request.address,
          amount: formatUsdtAmount(request.amountRaw),
          asset: 'USDT',
          network,
        }),
        redirect: 'error',
        signal: controller.signal,
      });
      // The body is read under the same deadline: a provider that sends headers and then stalls still times out.
      const text = await response.text();
      if (!response.ok) throw new ScreeningProviderError(`provider answered HTTP ${response.status}`);
      return parseVerdict(text);
    } catch (err) {
      if (err instanceof ScreeningProviderError) throw err;
      if (controller.signal.aborted) {
        throw new ScreeningProviderError(`provider did not answer within ${request.timeoutMs} ms`);
      }
      throw new ScreeningProviderError(`provider unreachable: ${describe(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Checks the answer's shape; extra fields are ignored, wrong types are an error. */
export function parseVerdict(text: string): ScreeningVerdict {
  if (text.length > MAX_RESPONSE_BYTES) throw new ScreeningProviderError('provider answer too large');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ScreeningProviderError('provider answer is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ScreeningProviderError('provider answer is not a JSON object');
  }
  const { blocked, risk, reason } = body as Record<string, unknown>;
  if (typeof blocked !== 'boolean')
    throw new ScreeningProviderError('provider answer has no boolean "blocked"');
  const optional = (value: unknown, name: string): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string')
      throw new ScreeningProviderError(`provider answer "${name}" is not a string`);
    return value;
  };
  const verdict: ScreeningVerdict = { blocked };
  const riskText = optional(risk, 'risk');
  const reasonText = optional(reason, 'reason');
  if (riskText !== undefined) verdict.risk = riskText;
  if (reasonText !== undefined) verdict.reason = reasonText;
  return verdict;
}

/**
 * A fetch failure names its cause (ECONNREFUSED...) in `cause`; neither carries the API key. Duck-typed: the
 * error may come from another realm, where `instanceof Error` is false.
 */
function describe(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const { message, cause } = err as { message?: unknown; cause?: unknown };
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return code;
  return typeof message === 'string' ? message : 'unknown error';
}
