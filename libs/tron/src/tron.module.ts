import { Global, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Counter, Histogram } from 'prom-client';
import type { TronWeb } from 'tronweb';

import { ErrorCatalogue, ErrorCode } from '@app/common';
import { AllConfig } from '@app/config';

import { DestinationFacts } from './client/destination-facts';
import { TRON_NODE_CALLER, TronClient } from './client/tron-client';
import { createTronWeb } from './network/tron-web.factory';
import { TronNetwork } from './network/tron-network';
import {
  prometheusNodeCallMetrics,
  TRON_NODE_CALL_DURATION_TOKEN,
  TRON_NODE_CALL_ERRORS_TOKEN,
  tronMetricProviders,
} from './tron.metrics';
import { HostPool, safeHostLabel } from './transport/host-pool';
import { NodeCaller } from './transport/node-caller';
import { TokenBucket } from './transport/token-bucket';

/** First retry after about this long; doubles (exponential policy) up to the cap. */
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 5_000;
/** A host failing this many times in a row (429, 5xx, timeouts) is set aside; a refused connection at once. */
const HOST_FAILURE_THRESHOLD = 2;
const HOST_COOLDOWN_MS = 30_000;

/**
 * Contract access: the TRON network (configured hosts or the embedded devnet) and TronClient, the only code
 * that talks to a node. Global, like the database: wallets, transfers and health all read the chain.
 */
@Global()
@Module({
  providers: [
    ...tronMetricProviders,
    {
      provide: TronNetwork,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AllConfig, true>) =>
        TronNetwork.resolve(config.getOrThrow('tron', { infer: true })),
    },
    {
      provide: TRON_NODE_CALLER,
      inject: [
        ConfigService,
        TronNetwork,
        TRON_NODE_CALL_DURATION_TOKEN,
        TRON_NODE_CALL_ERRORS_TOKEN,
        { token: ErrorCatalogue, optional: true },
      ],
      useFactory: (
        config: ConfigService<AllConfig, true>,
        network: TronNetwork,
        duration: Histogram<string>,
        errors: Counter<string>,
        catalogue?: ErrorCatalogue,
      ): NodeCaller<TronWeb> => {
        const tron = config.getOrThrow('tron', { infer: true });
        const hosts = network.hosts().map((endpoints, index) => ({
          index,
          label: safeHostLabel(endpoints.fullHost),
          client: createTronWeb(endpoints, {
            timeoutMs: tron.requestTimeoutMs,
            apiKey: endpoints.sendApiKey ? tron.apiKey : undefined,
          }),
        }));
        // The catalogue decides how USDT_ERR_400 is retried; without it (a bare test module), back off exponentially.
        const policy = catalogue?.get(ErrorCode.NODE_UNAVAILABLE).retryPolicy ?? 'exponential_backoff';
        return new NodeCaller(
          new HostPool(hosts, { failureThreshold: HOST_FAILURE_THRESHOLD, cooldownMs: HOST_COOLDOWN_MS }),
          new TokenBucket(tron.requestsPerSecond),
          {
            maxRetries: tron.maxRetries,
            timeoutMs: tron.requestTimeoutMs,
            backoff: { policy, baseMs: BACKOFF_BASE_MS, maxMs: BACKOFF_MAX_MS },
          },
          prometheusNodeCallMetrics(duration, errors),
          new Logger('TronClient'),
        );
      },
    },
    TronClient,
    DestinationFacts,
  ],
  exports: [TronNetwork, TronClient, DestinationFacts],
})
export class TronModule implements OnApplicationShutdown {
  constructor(private readonly network: TronNetwork) {}

  /** Stops the embedded devnet (it saves its state); an external network needs nothing. */
  async onApplicationShutdown(): Promise<void> {
    await this.network.stop();
  }
}
