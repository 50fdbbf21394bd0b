import { runWithRequest } from '@app/common';
import type { Transfer, TransferEvents, TransferStatus } from '@app/transfers';

import { AuditEntry, AuditTrail } from '../audit-trail';
import { PIPELINE_ACTOR, TransferAuditSubscriber } from './transfer-audit.subscriber';

type Listener = (transfer: Transfer, from?: TransferStatus) => Promise<void> | void;

class FakeEvents {
  listener?: Listener;
  subscribe(listener: Listener): void {
    this.listener = listener;
  }
  emit(transfer: Transfer, from?: TransferStatus) {
    return this.listener?.(transfer, from);
  }
}

class RecordingTrail extends AuditTrail {
  readonly entries: AuditEntry[] = [];
  record(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
}

function transfer(overrides: Partial<Transfer> = {}): Transfer {
  const now = new Date('2024-06-01T00:00:00Z');
  return {
    id: '6f1c1c1e-8f0e-4a55-9a55-3f0a1c2b3d4e',
    kind: 'transfer',
    status: 'approved',
    wallet: 'TWalletAddress',
    to: 'TRecipientAddress',
    amountRaw: 12_500_000n,
    internal: false,
    requestedBy: 'operator-1',
    idempotencyKey: 'idem-0001',
    requestHash: 'h',
    supersededTxids: [],
    broadcastAttempts: 0,
    failedAttempts: 0,
    confirmations: 0,
    nextAttemptAt: now,
    history: [{ status: 'approved', at: now, by: 'operator-1' }],
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe('TransferAuditSubscriber', () => {
  let events: FakeEvents;
  let trail: RecordingTrail;

  beforeEach(() => {
    events = new FakeEvents();
    trail = new RecordingTrail();
    new TransferAuditSubscriber(events as unknown as TransferEvents, trail).onModuleInit();
  });

  it('records a new transfer as transfer.<status> by its requester, amount as a decimal string', async () => {
    const req = { user: { sub: 'operator-1', roles: ['operator'] }, ip: '127.0.0.1', id: 'req-9' };
    await runWithRequest(req as never, () => events.emit(transfer()));
    expect(trail.entries).toEqual([
      {
        action: 'transfer.approved',
        subject: { type: 'transfer', id: '6f1c1c1e-8f0e-4a55-9a55-3f0a1c2b3d4e' },
        actor: { id: 'operator-1', roles: ['operator'], ip: '127.0.0.1', requestId: 'req-9' },
        before: { status: undefined },
        after: {
          status: 'approved',
          kind: 'transfer',
          amount: '12.5',
          to: 'TRecipientAddress',
          wallet: 'TWalletAddress',
        },
        details: { event: 1 },
      },
    ]);
  });

  it('credits a pipeline move to system:pipeline, with the txid and failure code', async () => {
    const now = new Date();
    await events.emit(
      transfer({
        status: 'failed',
        tx: { txid: 'a'.repeat(64), signedJson: '{}', expiration: 0, signedAt: now, feeLimitSun: 1n },
        failure: { code: 'USDT_ERR_300', message: 'reverted', at: now },
        history: [
          { status: 'approved', at: now, by: 'operator-1' },
          { status: 'signed', at: now },
          { status: 'failed', at: now },
        ],
      }),
      'signed',
    );
    expect(trail.entries[0]).toMatchObject({
      action: 'transfer.failed',
      actor: PIPELINE_ACTOR,
      before: { status: 'signed' },
      after: { status: 'failed', txid: 'a'.repeat(64), failureCode: 'USDT_ERR_300' },
      details: { event: 3 },
    });
  });

  it('credits a move to the person in its history entry even when someone else is calling', async () => {
    const now = new Date();
    const req = { user: { sub: 'admin-2', roles: ['admin'] }, ip: '10.0.0.1', id: 'req-1' };
    await runWithRequest(req as never, () =>
      events.emit(
        transfer({
          status: 'cancelled',
          history: [
            { status: 'approved', at: now, by: 'operator-1' },
            { status: 'cancelled', at: now, by: 'approver-7' },
          ],
        }),
        'approved',
      ),
    );
    expect(trail.entries[0].actor).toEqual({ id: 'approver-7', roles: [] });
  });

  it('falls back to the caller of the request when the history names no one', async () => {
    const req = { user: { sub: 'admin-2', roles: ['admin'] }, ip: '10.0.0.1', id: 'req-1' };
    await runWithRequest(req as never, () =>
      events.emit(
        transfer({ status: 'rejected', history: [{ status: 'rejected', at: new Date() }] }),
        'approved',
      ),
    );
    expect(trail.entries[0].actor).toEqual({
      id: 'admin-2',
      roles: ['admin'],
      ip: '10.0.0.1',
      requestId: 'req-1',
    });
  });
});
