import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { auditMetricProviders } from './audit.metrics';
import { AuditTrail } from './audit-trail';
import { HashChainAuditTrail } from './hash-chain-audit-trail';
import { AuditController } from './http/audit.controller';
import { AuditLogRepository } from './persistence/audit-log.repository';
import { AuditRecordDoc, AuditRecordSchema } from './persistence/audit-record.schema';
import { MongooseAuditLogRepository } from './persistence/mongoose-audit-log.repository';
import { ListAuditRecords } from './use-cases/list-audit-records';
import { VerifyAuditChain } from './use-cases/verify-audit-chain';

/**
 * The tamper-evident audit log: `AuditTrail` for every module (global), and the admin endpoints to read and
 * verify it. Needs the global config, database and metrics modules.
 */
@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: AuditRecordDoc.name, schema: AuditRecordSchema }])],
  controllers: [AuditController],
  providers: [
    { provide: AuditLogRepository, useClass: MongooseAuditLogRepository },
    { provide: AuditTrail, useClass: HashChainAuditTrail },
    ...auditMetricProviders,
    ListAuditRecords,
    VerifyAuditChain,
  ],
  exports: [AuditTrail],
})
export class AuditModule {}
