import { CanActivate, Controller, ExecutionContext, Get, Injectable, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';

import { Public } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import { AllConfig } from '@app/config';

/** When METRICS_BEARER_TOKEN is set, scrapers must send it (Prometheus `authorization.credentials`). */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(config: ConfigService<AllConfig, true>) {
    const token = config.getOrThrow('metrics', { infer: true }).bearerToken;
    this.expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const offered = Buffer.from(context.switchToHttp().getRequest<Request>().headers.authorization ?? '');
    if (offered.length === this.expected.length && timingSafeEqual(offered, this.expected)) return true;
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'A valid metrics bearer token is required');
  }
}

@ApiExcludeController()
@Public()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @UseGuards(MetricsTokenGuard)
  override index(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }
}
