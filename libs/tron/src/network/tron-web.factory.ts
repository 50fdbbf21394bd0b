import { providers, TronWeb } from 'tronweb';

import { TronHostEndpoints } from './tron-network';

export interface TronWebFactoryOptions {
  timeoutMs: number;
  /** sent as TRON-PRO-API-KEY when set */
  apiKey?: string;
}

/**
 * One TronWeb per host set. Providers are built here rather than from `fullHost` so that the request timeout
 * applies (TronWeb's own default is 30 s, and its `headers` option silently resets it). No private key is
 * ever given to TronWeb: signing happens in libs/wallets.
 */
export function createTronWeb(endpoints: TronHostEndpoints, options: TronWebFactoryOptions): TronWeb {
  const headers = options.apiKey ? { 'TRON-PRO-API-KEY': options.apiKey } : {};
  const provider = (url: string) => new providers.HttpProvider(url, options.timeoutMs, '', '', headers);
  return new TronWeb({
    fullNode: provider(endpoints.fullHost),
    solidityNode: provider(endpoints.solidityHost),
    eventServer: provider(endpoints.eventHost),
    disablePlugins: true,
  });
}
