import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { HealthController } from './health.controller';
import { DatabaseHealthIndicator } from './indicators/database.indicator';
import { LifecycleHealthIndicator } from './indicators/lifecycle.indicator';
import { ShutdownState } from './shutdown-state';
import { StatusController } from './status.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, StatusController],
  providers: [ShutdownState, DatabaseHealthIndicator, LifecycleHealthIndicator],
  exports: [ShutdownState],
})
export class HealthModule {}
