import { Module } from '@nestjs/common';

import { TransfersModule } from '@app/transfers';

import { TransferAuditSubscriber } from './subscribers/transfer-audit.subscriber';

/**
 * Transfer state changes into the audit log. Separate from AuditModule, which is global and must not depend
 * on transfers (transfers-side code may record audit entries itself).
 */
@Module({ imports: [TransfersModule], providers: [TransferAuditSubscriber] })
export class TransferAuditModule {}
