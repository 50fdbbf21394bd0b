import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';

import { ApprovalsModule } from '@app/approvals';
import { AuditModule } from '@app/audit';
import { TransferAuditModule } from '@app/audit/transfer-audit.module';
import { AuthModule } from '@app/auth';
import { AllExceptionsFilter, AppValidationPipe, CommonModule } from '@app/common';
import { AllConfig, AppConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { EdgeModule } from '@app/edge';
import { HealthModule } from '@app/health';
import { MetricsModule } from '@app/metrics';
import { PoliciesModule } from '@app/policies';
import { TransfersModule } from '@app/transfers';
import { TronModule } from '@app/tron';
import { WalletsModule } from '@app/wallets';

import { loggerParams } from './logging';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AllConfig, true>) =>
        loggerParams(config.getOrThrow('logging.level', { infer: true })),
    }),
    CommonModule,
    DatabaseModule,
    // Before AuthModule: its global guards wrap authentication (IP allow-list, auth, roles, rate limits).
    EdgeModule,
    AuthModule,
    // Express matches a request against each route in turn, in the order modules are listed here (and their
    // imports after them): the probes, polled all day, first, then the money and chain routes.
    HealthModule,
    TransfersModule,
    MetricsModule,
    AuditModule,
    PoliciesModule,
    TronModule,
    WalletsModule,
    ApprovalsModule,
    TransferAuditModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_PIPE, useClass: AppValidationPipe },
  ],
})
export class AppModule {}
