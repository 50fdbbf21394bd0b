import { Injectable, OnModuleInit } from '@nestjs/common';

import { currentRequestActor, formatUsdtAmount } from '@app/common';
import { Transfer, TransferEvents, TransferStatus } from '@app/transfers';

import { AuditActor, AuditEntry, AuditTrail } from '../audit-trail';

/** Who moved a transfer when neither its history nor a request says: the pipeline's workers. */
export const PIPELINE_ACTOR: AuditActor = { id: 'system:pipeline', roles: [] };

/**
 * Audits every transfer state change as `transfer.<status>`. The entry is handed to the trail synchronously
 * from the event, so one instance's records of one transfer keep the order of its moves.
 */
@Injectable()
export class TransferAuditSubscriber implements OnModuleInit {
  constructor(
    private readonly events: TransferEvents,
    private readonly audit: AuditTrail,
  ) {}

  onModuleInit(): void {
    this.events.subscribe((transfer, from) => this.audit.record(transferAuditEntry(transfer, from)));
  }
}

export function transferAuditEntry(transfer: Transfer, from?: TransferStatus): AuditEntry {
  return {
    action: `transfer.${transfer.status}`,
    subject: { type: 'transfer', id: transfer.id },
    actor: transferActor(transfer),
    before: { status: from },
    after: {
      status: transfer.status,
      kind: transfer.kind,
      ...(transfer.tx && { txid: transfer.tx.txid }),
      ...(transfer.failure && { failureCode: transfer.failure.code }),
      amount: formatUsdtAmount(transfer.amountRaw),
      to: transfer.to,
      wallet: transfer.wallet,
    },
    // Events are delivered at least once (TransferEvents): a repeat after a crash has the same number.
    details: { event: transfer.history.length },
  };
}

/**
 * The person named in the history entry of this move (the requester, an approver, whoever cancelled), with
 * the request's roles, IP and id when that person is the caller of the current request; otherwise the
 * current request's caller; otherwise the pipeline.
 */
function transferActor(transfer: Transfer): AuditActor {
  const request = currentRequestActor();
  const last = transfer.history[transfer.history.length - 1];
  const by = last && last.status === transfer.status ? last.by : undefined;
  if (by) return request?.id === by ? request : { id: by, roles: [] };
  return request ?? PIPELINE_ACTOR;
}
