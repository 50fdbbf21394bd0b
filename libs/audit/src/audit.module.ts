import { Global, Injectable, Logger, Module } from '@nestjs/common';

import { AuditEntry, AuditTrail } from './audit-trail';

/** Placeholder until the hash-chained store lands: logs entries. */
@Injectable()
class LoggingAuditTrail extends AuditTrail {
  private readonly logger = new Logger('Audit');
  record(entry: AuditEntry): Promise<void> {
    this.logger.log({ action: entry.action, subject: entry.subject }, 'audit');
    return Promise.resolve();
  }
}

@Global()
@Module({ providers: [{ provide: AuditTrail, useClass: LoggingAuditTrail }], exports: [AuditTrail] })
export class AuditModule {}
