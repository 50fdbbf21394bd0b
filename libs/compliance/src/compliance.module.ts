import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';

import { AllConfig } from '@app/config';
import { TronNetwork } from '@app/tron';
import { WalletsModule } from '@app/wallets';

import { ApplyMonitoringRules } from './engine/apply-monitoring-rules';
import { GroupedFactReads } from './engine/grouped-fact-reads';
import { ComplianceBlocks } from './engine/compliance-blocks';
import { ComplianceCheck } from './engine/compliance-check';
import { RecentVelocity } from './engine/recent-velocity';
import { LimitLedger } from './engine/limit-ledger';
import { ScreenDestination } from './engine/screen-destination';
import { CsvBodyMiddleware } from './http/csv-body.middleware';
import { KycController } from './http/kyc.controller';
import { ScreeningController } from './http/screening.controller';
import { KycLevelDoc, KycLevelSchema } from './persistence/kyc-level.schema';
import { KycRegistry } from './persistence/kyc-registry';
import { LimitCounterRepository } from './persistence/limit-counter.repository';
import { LimitCounterDoc, LimitCounterSchema } from './persistence/limit-counter.schema';
import { MongooseKycRegistry } from './persistence/mongoose-kyc-registry';
import { MongooseLimitCounterRepository } from './persistence/mongoose-limit-counter.repository';
import { MongoosePayoutHistory } from './persistence/mongoose-payout-history';
import { MongooseScreeningListRepository } from './persistence/mongoose-screening-list.repository';
import { PayoutHistory } from './persistence/payout-history';
import { ScreeningEntryDoc, ScreeningEntrySchema } from './persistence/screening-entry.schema';
import { ScreeningListRepository } from './persistence/screening-list.repository';
import { HttpScreeningProvider } from './screening/http-screening-provider';
import { ScreeningProvider } from './screening/screening-provider';
import { AddScreeningEntries } from './use-cases/add-screening-entries';
import { GetKycLevel } from './use-cases/get-kyc-level';
import { ImportScreeningEntries } from './use-cases/import-screening-entries';
import { ListScreeningEntries } from './use-cases/list-screening-entries';
import { RemoveScreeningEntry } from './use-cases/remove-screening-entry';
import { SetKycLevel } from './use-cases/set-kyc-level';

export const SCREENING_IMPORT_ROUTE = 'api/v1/tron/usdt/compliance/screening/import';

/**
 * KYC levels, AML screening (admin lists, the token contract's blacklist, an external provider), monitoring
 * rules and limits. Exports ComplianceCheck for the approvals layer. Needs the global config, database,
 * TRON, audit and policies modules.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: KycLevelDoc.name, schema: KycLevelSchema },
      { name: ScreeningEntryDoc.name, schema: ScreeningEntrySchema },
      { name: LimitCounterDoc.name, schema: LimitCounterSchema },
    ]),
    WalletsModule,
  ],
  controllers: [KycController, ScreeningController],
  providers: [
    { provide: KycRegistry, useClass: MongooseKycRegistry },
    { provide: ScreeningListRepository, useClass: MongooseScreeningListRepository },
    { provide: LimitCounterRepository, useClass: MongooseLimitCounterRepository },
    { provide: PayoutHistory, useClass: MongoosePayoutHistory },
    {
      provide: ScreeningProvider,
      inject: [ConfigService, TronNetwork],
      useFactory: (config: ConfigService<AllConfig, true>, network: TronNetwork) => {
        const governance = config.getOrThrow('governance', { infer: true });
        return new HttpScreeningProvider({
          url: governance.amlProviderUrl,
          apiKey: governance.amlProviderApiKey,
          network: network.name,
        });
      },
    },
    ComplianceBlocks,
    ScreenDestination,
    ApplyMonitoringRules,
    LimitLedger,
    ComplianceCheck,
    RecentVelocity,
    GroupedFactReads,
    GetKycLevel,
    SetKycLevel,
    ListScreeningEntries,
    AddScreeningEntries,
    ImportScreeningEntries,
    RemoveScreeningEntry,
  ],
  exports: [ComplianceCheck, GetKycLevel],
})
export class ComplianceModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CsvBodyMiddleware).forRoutes({ path: SCREENING_IMPORT_ROUTE, method: RequestMethod.POST });
  }
}
