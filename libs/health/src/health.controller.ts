import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';
import type { Response } from 'express';

import { Public } from '@app/auth';

import { DatabaseHealthIndicator } from './indicators/database.indicator';
import { LifecycleHealthIndicator } from './indicators/lifecycle.indicator';

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
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every indicator with details' })
  @ApiOkResponse({ description: 'All indicators up' })
  @ApiServiceUnavailableResponse({ description: 'At least one indicator down' })
  all(@Res({ passthrough: true }) res: Response) {
    return this.run(res, [() => this.lifecycle.check(), () => this.database.check()]);
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process runs and answers' })
  live(@Res({ passthrough: true }) res: Response) {
    return this.run(res, []);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: dependencies reachable and not shutting down' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: do not send traffic' })
  ready(@Res({ passthrough: true }) res: Response) {
    return this.run(res, [() => this.lifecycle.check(), () => this.database.check()]);
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
