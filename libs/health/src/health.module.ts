import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { TransfersModule } from '@app/transfers';
import { WalletsModule } from '@app/wallets';

import { HealthController } from './health.controller';
import { healthMetricProviders } from './health.metrics';
import { ScrapeReads } from './scrape-reads';
import { DatabaseHealthIndicator } from './indicators/database.indicator';
import { HotWalletsHealthIndicator } from './indicators/hot-wallets.indicator';
import { LifecycleHealthIndicator } from './indicators/lifecycle.indicator';
import { PipelineHealthIndicator } from './indicators/pipeline.indicator';
import { TronNodeHealthIndicator } from './indicators/tron-node.indicator';
import { TronNodeState } from './node/tron-node-state';
import { ShutdownState } from './shutdown-state';
import { StatusController } from './status.controller';
import { HotWalletBalances } from './wallets/hot-wallet-balances';

/**
 * Probes, /status and the operational gauges. Depends on tron (global), wallets and transfers, never the
 * other way round; imported last by the app so those modules are already built.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), WalletsModule, TransfersModule],
  controllers: [HealthController, StatusController],
  providers: [
    ShutdownState,
    DatabaseHealthIndicator,
    LifecycleHealthIndicator,
    TronNodeHealthIndicator,
    HotWalletsHealthIndicator,
    PipelineHealthIndicator,
    HotWalletBalances,
    TronNodeState,
    ScrapeReads,
    ...healthMetricProviders,
  ],
  exports: [ShutdownState],
})
export class HealthModule {}
