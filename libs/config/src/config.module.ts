import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';

import { validateEnvironment } from './env-validation';
import { configNamespaces } from './namespaces';

/**
 * Typed, validated configuration. Every namespace validates its variables at start-up; read values with
 * `config.getOrThrow('app.port', { infer: true })` through `ConfigService<AllConfig, true>`.
 */
@Global()
@Module({
  imports: [
    NestConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      load: configNamespaces,
      validate: validateEnvironment,
    }),
  ],
})
export class AppConfigModule {}
