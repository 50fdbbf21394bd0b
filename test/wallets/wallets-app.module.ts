import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';

import { AuthModule } from '@app/auth';
import { AllExceptionsFilter, AppValidationPipe, CommonModule } from '@app/common';
import { AppConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { TronModule } from '@app/tron';
import { WalletsModule } from '@app/wallets';

/**
 * The wallets lib with exactly the app's cross-cutting pieces (config, error filter, validation pipe, JWT
 * guards, database), and nothing else, so these suites test this lib alone. `withTron` adds the TRON module:
 * with TRON_FULL_HOST unset it starts the devnet in process and the devnet bootstrap funds a wallet.
 */
@Module({})
export class WalletsTestAppModule {
  static create(options: { withTron: boolean }): DynamicModule {
    return {
      module: WalletsTestAppModule,
      imports: [
        AppConfigModule,
        CommonModule,
        DatabaseModule,
        AuthModule,
        ...(options.withTron ? [TronModule] : []),
        WalletsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useClass: AppValidationPipe },
      ],
    };
  }
}
