import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { makeHistogramProvider, PrometheusModule } from '@willsoto/nestjs-prometheus';

import { HTTP_REQUEST_DURATION, HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController, MetricsTokenGuard } from './metrics.controller';

const httpDuration = makeHistogramProvider({
  name: HTTP_REQUEST_DURATION,
  help: 'HTTP request duration in seconds, by method, matched route and status code',
  labelNames: ['method', 'route', 'status_code'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/**
 * Prometheus metrics at GET /metrics: process defaults plus the HTTP histogram. Other libs declare their own
 * metrics with the make*Provider helpers in their modules; this module is global so they share the registry.
 */
@Global()
@Module({
  imports: [PrometheusModule.register({ controller: MetricsController, defaultMetrics: { enabled: true } })],
  providers: [httpDuration, MetricsTokenGuard],
  exports: [PrometheusModule, httpDuration],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
