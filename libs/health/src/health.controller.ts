import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorResult,
} from '@nestjs/terminus';
import type { Response } from 'express';

import { Public } from '@app/auth';

import { FullHealthBodyDto, HealthBodyDto } from './dto/probe-views.dto';
import { DatabaseHealthIndicator } from './indicators/database.indicator';
import { HotWalletsHealthIndicator } from './indicators/hot-wallets.indicator';
import { LifecycleHealthIndicator } from './indicators/lifecycle.indicator';
import { PipelineHealthIndicator } from './indicators/pipeline.indicator';
import { TronNodeHealthIndicator } from './indicators/tron-node.indicator';

/** /health: Terminus' body plus whether the service is only degraded, why, and the warnings. */
export type FullHealthResult = Omit<HealthCheckResult, 'status'> & {
  status: HealthCheckResult['status'] | 'degraded';
  /** Indicators that are down without stopping the service from serving, each with its reason. */
  degraded: Array<{ indicator: string; message: string }>;
  warnings: string[];
};

/**
 * Probes for orchestrators and dashboards. Readiness and liveness bodies are Terminus' own (`status`,
 * `info`, `error`, `details`) also on failure, because that is what probe tooling reads; the status code
 * says up (200) or down (503).
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
  @ApiOperation({
    summary:
      'Every indicator with details: 503 only when the service cannot serve (readiness); `degraded` with the ' +
      'reasons when the TRON node, the pipeline or the hot wallets need an operator; warnings name wallets',
  })
  @ApiOkResponse({
    type: FullHealthBodyDto,
    description: '`status: ok`, or `status: degraded` with `degraded[]` and `warnings[]`',
  })
  @ApiServiceUnavailableResponse({
    type: FullHealthBodyDto,
    description: 'Not ready: database down or shutting down',
  })
  async all(@Res({ passthrough: true }) res: Response): Promise<FullHealthResult> {
    const [ready, ...operational] = await Promise.all([
      this.run(res, this.readiness()),
      this.tronNode.check(),
      this.pipeline.check(),
      this.hotWallets.check(),
    ]);
    return withOperational(ready, operational);
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process runs and answers' })
  @ApiOkResponse({ type: HealthBodyDto })
  @ApiServiceUnavailableResponse({ type: HealthBodyDto, description: 'Shutting down' })
  live(@Res({ passthrough: true }) res: Response) {
    return this.run(res, []);
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'Readiness: the database answers and the service is not shutting down (the TRON node is not part)',
  })
  @ApiOkResponse({ type: HealthBodyDto, description: 'Ready: send traffic' })
  @ApiServiceUnavailableResponse({ type: HealthBodyDto, description: 'Not ready: do not send traffic' })
  ready(@Res({ passthrough: true }) res: Response) {
    return this.run(res, this.readiness());
  }

  /**
   * What an instance needs to serve traffic at all: its own state and the database. The TRON node, hot
   * wallet funds and stuck transfers are left to /health: reads, approvals and the audit API serve without
   * them, node-bound routes answer USDT_ERR_400 by themselves, and pulling every instance out of rotation
   * would fix none of them.
   */
  private readiness(): HealthIndicatorFunction[] {
    return [() => this.lifecycle.check(), () => this.database.check()];
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

/** Adds the operational indicators to the readiness result without letting them turn it into a 503. */
export function withOperational(
  ready: HealthCheckResult,
  operational: HealthIndicatorResult[],
): FullHealthResult {
  const details = { ...ready.details };
  const info = { ...(ready.info ?? {}) };
  const error = { ...(ready.error ?? {}) };
  const degraded: FullHealthResult['degraded'] = [];
  const warnings: string[] = [];
  for (const result of operational) {
    for (const [key, value] of Object.entries(result)) {
      details[key] = value;
      if (value.status === 'up') info[key] = value;
      else {
        error[key] = value;
        degraded.push({ indicator: key, message: String(value.message ?? 'down') });
      }
      if (Array.isArray(value.warnings)) warnings.push(...(value.warnings as string[]));
    }
  }
  const status = ready.status !== 'ok' ? ready.status : degraded.length ? 'degraded' : 'ok';
  return { status, info, error, details, degraded, warnings };
}
