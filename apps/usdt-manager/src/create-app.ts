import { INestApplication, Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger, PinoLogger } from 'nestjs-pino';

import {
  answerClientErrorsInErrorShape,
  describeRequestBodies,
  documentErrorResponses,
  ErrorBodyDto,
  ErrorCatalogue,
  jsonDepthLimit,
  requestContextMiddleware,
  requestIdMiddleware,
  ServedMethods,
  serviceInfo,
} from '@app/common';
import { AllConfig } from '@app/config';

import { accessLogMiddleware } from './access-log';
import { AppModule } from './app.module';
import { StartupQuietLogger } from './startup-quiet-logger';

/**
 * Builds the fully configured application (logger, security headers, body limit, CORS, OpenAPI) without
 * listening, so that main.ts and the e2e tests run exactly the same app. Tests may pass a root module that
 * imports AppModule and adds probe routes of their own.
 */
export async function createApp(rootModule: Type = AppModule): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(new StartupQuietLogger(app.get(Logger)));
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);
  const appConfig = config.getOrThrow('app', { infer: true });

  // X-Forwarded-For is believed only from these peers (req.ip feeds the IP allow-lists and rate limits).
  const { trustedProxies } = config.getOrThrow('governance', { infer: true });
  app.set('trust proxy', trustedProxies.length ? trustedProxies : false);
  // No ETag on every body: nothing in the API revalidates (policies use revisions in If-Match), the 304 it
  // would answer is not in the contract, and hashing each response was about 2% of /health/live's CPU.
  app.set('etag', false);
  app.use(helmet());
  app.useBodyParser('json', { limit: appConfig.bodyLimit });
  app.use(jsonDepthLimit);
  app.use(requestIdMiddleware);
  // Before every route, guard and module middleware: code serving a request can find its caller (audit), and
  // its log lines show it.
  app.use(requestContextMiddleware);
  app.use(accessLogMiddleware((await app.resolve(PinoLogger)).logger));
  if (appConfig.corsOrigins.length) {
    app.enableCors({
      origin: appConfig.corsOrigins,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id'],
      // Browsers hide other response headers from scripts; these tell a client when to retry and what to quote.
      exposedHeaders: [
        'Retry-After',
        'X-Request-Id',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
      ],
    });
  }

  // What Node's HTTP parser refuses (oversized headers, say) is answered in the error shape too.
  answerClientErrorsInErrorShape(app.getHttpServer(), app.get(ErrorCatalogue));
  // After CORS (which answers preflight OPTIONS itself): a wrong method on a path written out in full is 405
  // here; on any other served path the exception filter makes Nest's 404 a 405 (ServedMethods says why).
  app.use(new ServedMethods(app.getHttpAdapter().getInstance()).literalMiddleware());

  const info = serviceInfo();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TRON USDT Manager')
      .setDescription(info.description)
      .setVersion(info.version)
      .addBearerAuth()
      .build(),
    { extraModels: [ErrorBodyDto] },
  );
  // Error responses come from each route's declared codes and the catalogue's HTTP statuses.
  documentErrorResponses(document, app.get(ErrorCatalogue));
  describeRequestBodies(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
