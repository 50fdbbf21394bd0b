import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { join } from 'node:path';

import { ErrorCatalogue } from './errors/error-catalogue';

/** Shared, stateless pieces: the error catalogue (validated at start-up) and nothing with a lifecycle. */
@Global()
@Module({
  providers: [
    {
      provide: ErrorCatalogue,
      inject: [ConfigService],
      useFactory: (config: ConfigService) =>
        ErrorCatalogue.fromFile(join(config.getOrThrow<string>('app.configDir'), 'usdt-error-codes.yaml')),
    },
  ],
  exports: [ErrorCatalogue],
})
export class CommonModule {}
