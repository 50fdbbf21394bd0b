import { Injectable, NestMiddleware } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import type { Histogram } from 'prom-client';

export const HTTP_REQUEST_DURATION = 'http_request_duration_seconds';

/**
 * Times every request, including the ones refused by guards (which an interceptor would never see). The route
 * label is the matched pattern (`/balance/:address`), never the raw path, so label cardinality stays bounded.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(@InjectMetric(HTTP_REQUEST_DURATION) private readonly histogram: Histogram<string>) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.histogram.startTimer();
    // Express sets req.route for this middleware's own catch-all mount too; only a later, different route
    // means a controller matched.
    const ownRoute: unknown = req.route;
    res.once('finish', () => {
      const route = req.route === ownRoute ? undefined : (req.route as { path?: string } | undefined)?.path;
      end({
        method: req.method,
        route: route ? `${req.baseUrl}${route}` : 'unmatched',
        status_code: String(res.statusCode),
      });
    });
    next();
  }
}
