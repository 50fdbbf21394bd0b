import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';
import type { Response } from 'express';

import { Public } from '@app/auth';

import { HealthBodyDto } from './dto/probe-views.dto';
import { DatabaseHealthIndicator } from './indicators/database.indicator';
import { HotWalletsHealthIndicator } from './indicators/hot-wallets.indicator';
import { LifecycleHealthIndicator } from './indicators/lifecycle.indicator';
import { PipelineHealthIndicator } from './indicators/pipeline.indicator';
import { TronNodeHealthIndicator } from './indicators/tron-node.indicator';

/**
 * Probes for orchestrators and dashboards. Their bodies are Terminus' own (`status`, `info`, `error`,
 * `details`) also on failure, because that is what probe tooling reads; the status code says up (200) or
 * down (503).
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly lifecycle: LifecycleHealthIndicator,
    private readonly tronNode: TronNodeHealthIndicator,
    private readonly hotWallets: HotWalletsHealthIndicator,
    private readonly pipeline: PipelineHealthIndicator,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every indicator with details, including hot wallet TRX and stuck transfers' })
  @ApiOkResponse({ type: HealthBodyDto, description: 'All indicators up' })
  @ApiServiceUnavailableResponse({ type: HealthBodyDto, description: 'At least one indicator down' })
  all(@Res({ passthrough: true }) res: Response) {
    return this.run(res, [...this.readiness(), () => this.hotWallets.check(), () => this.pipeline.check()]);
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process runs and answers' })
  @ApiOkResponse({ type: HealthBodyDto })
  @ApiServiceUnavailableResponse({ type: HealthBodyDto, description: 'Shutting down' })
  live(@Res({ passthrough: true }) res: Response) {
    return this.run(res, []);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: database and TRON node (head advancing) up, not shutting down' })
  @ApiOkResponse({ type: HealthBodyDto })
  @ApiServiceUnavailableResponse({ type: HealthBodyDto, description: 'Not ready: do not send traffic' })
  ready(@Res({ passthrough: true }) res: Response) {
    return this.run(res, this.readiness());
  }

  /**
   * What an instance needs to serve traffic at all. Hot wallet funds and stuck transfers are left to /health:
   * they need an operator, and pulling every instance out of rotation would not fix them.
   */
  private readiness(): HealthIndicatorFunction[] {
    return [() => this.lifecycle.check(), () => this.database.check(), () => this.tronNode.check()];
  }

  private async run(res: Response, indicators: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(indicators);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return err.getResponse() as HealthCheckResult;
    }
  }
}
