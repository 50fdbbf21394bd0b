import { Logger } from '@nestjs/common';

import { isTronAddress } from '@app/common';
import { ConfigurationError, TronConfig, TronNetworkName } from '@app/config';
import { DevnetHandle, startDevnet } from '@app/tron-devnet';

import { safeHostLabel } from '../transport/host-pool';

export interface TronHostEndpoints {
  fullHost: string;
  solidityHost: string;
  eventHost: string;
  /** whether this host may receive TRON-PRO-API-KEY */
  sendApiKey: boolean;
}

/** What /status shows: host names without credentials, never the API key. */
export interface TronNetworkInfo {
  name: TronNetworkName;
  fullHost: string;
  solidityHost: string;
  eventHost: string;
  fallbackHosts: string[];
  usdtContract: string;
  /** absent: destination checks ask the node once per address */
  multicallContract?: string;
  isDevnet: boolean;
}

/**
 * The TRON network the service talks to, resolved once at start-up: the configured hosts, or, when
 * TRON_FULL_HOST is unset, a devnet started in this process (its state under DATA_DIR/devnet) so that
 * `npm start` works with nothing else running.
 */
export class TronNetwork {
  private constructor(
    readonly name: TronNetworkName,
    readonly fullHost: string,
    readonly solidityHost: string,
    readonly eventHost: string,
    readonly fallbackHosts: readonly string[],
    readonly usdtContract: string,
    /** A Multicall contract for batched constant calls (TRON_MULTICALL_ADDRESS; the devnet brings its own). */
    readonly multicallContract: string | undefined,
    /** set only when this process started the devnet */
    readonly devnet?: DevnetHandle,
  ) {}

  get isDevnet(): boolean {
    return this.name === 'devnet';
  }

  static async resolve(config: TronConfig, logger = new Logger(TronNetwork.name)): Promise<TronNetwork> {
    if (!config.fullHost) {
      const { port, blockIntervalMs, solidityLag, dataDir } = config.devnet;
      const devnet = await startDevnet({
        port,
        blockIntervalMs,
        solidityLag,
        dataDir,
        onError: (err) => logger.error({ err }, 'embedded devnet background error'),
      });
      logger.log(`no TRON_FULL_HOST: embedded devnet at ${devnet.url}, state in ${dataDir}`);
      const url = devnet.url;
      const { usdt, multicall } = devnet.info;
      return new TronNetwork('devnet', url, url, url, [], usdt.address, multicall.address, devnet);
    }

    const usdtContract = config.usdtContract;
    if (!usdtContract || !isTronAddress(usdtContract)) {
      throw new ConfigurationError(
        `USDT_CONTRACT_ADDRESS must be set to the USDT contract of network "${config.network}" ` +
          `(TRON_FULL_HOST ${safeHostLabel(config.fullHost)} has no well-known deployment)`,
      );
    }
    return new TronNetwork(
      config.network,
      config.fullHost,
      config.solidityHost ?? config.fullHost,
      config.eventHost ?? config.fullHost,
      config.fallbackHosts,
      usdtContract,
      config.multicallContract,
    );
  }

  /**
   * The primary host set, then each fallback host (a fallback serves the full node, solidity and event APIs
   * alike, as TronGrid and most providers do). The API key goes to the primary and to TronGrid hosts only:
   * a third-party fallback must not learn our TronGrid key.
   */
  hosts(): TronHostEndpoints[] {
    const primary = { fullHost: this.fullHost, solidityHost: this.solidityHost, eventHost: this.eventHost };
    const primaryHostname = hostnameOf(this.fullHost);
    return [
      { ...primary, sendApiKey: true },
      ...this.fallbackHosts.map((url) => ({
        fullHost: url,
        solidityHost: url,
        eventHost: url,
        sendApiKey: hostnameOf(url) === primaryHostname || /(^|\.)trongrid\.io$/i.test(hostnameOf(url)),
      })),
    ];
  }

  info(): TronNetworkInfo {
    return {
      name: this.name,
      fullHost: safeHostLabel(this.fullHost),
      solidityHost: safeHostLabel(this.solidityHost),
      eventHost: safeHostLabel(this.eventHost),
      fallbackHosts: this.fallbackHosts.map(safeHostLabel),
      usdtContract: this.usdtContract,
      ...(this.multicallContract ? { multicallContract: this.multicallContract } : {}),
      isDevnet: this.isDevnet,
    };
  }

  /** Stops the embedded devnet (saving its state); nothing to do for an external network. */
  async stop(): Promise<void> {
    await this.devnet?.stop();
  }
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
