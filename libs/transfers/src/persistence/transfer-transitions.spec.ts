import { ErrorCode } from '@app/common';

import { ProblemRecord, Receipt, SignedTx, Transfer, TransferStatus } from '../domain/transfer';
import { FIXTURE_AT, transferThrough } from '../testing/transfer-fixture';
import { TransferEvents } from '../worker/transfer-events';
import { TransferChanges, TransferRepository, TransitionRequest } from './transfer.repository';
import { TransferTransitions } from './transfer-transitions';

const at = FIXTURE_AT;

const transfer = transferThrough;

/**
 * The repository as the transitions use it: it records each request and, unless told the guard no longer
 * holds, answers with the stored transfer moved and its history entry appended, as the real one does.
 */
class RecordingTransfers {
  readonly transitions: TransitionRequest[] = [];
  readonly releases: { workerId: string; changes?: TransferChanges }[] = [];
  guardHolds = true;
  constructor(public stored: Transfer) {}

  transition(id: string, request: TransitionRequest): Promise<Transfer | null> {
    this.transitions.push(request);
    if (!this.guardHolds || !request.from.includes(this.stored.status)) return Promise.resolve(null);
    this.stored = {
      ...this.stored,
      status: request.to,
      history: [...this.stored.history, { status: request.to, at, by: request.by, note: request.note }],
    };
    return Promise.resolve(this.stored);
  }
  release(id: string, workerId: string, changes?: TransferChanges): Promise<void> {
    this.releases.push({ workerId, changes });
    return Promise.resolve();
  }
}

class RecordingEvents {
  readonly moves: { to: TransferStatus; from: TransferStatus }[] = [];
  moved(t: Transfer, from: TransferStatus): void {
    this.moves.push({ to: t.status, from });
  }
}

const signedTx: SignedTx = { txid: 'aa'.repeat(32), raw: {} } as unknown as SignedTx;
const receipt = { result: 'SUCCESS' } as unknown as Receipt;
const reverted: ProblemRecord = { code: ErrorCode.CONTRACT_REVERTED, message: 'the contract reverted', at };

describe('TransferTransitions', () => {
  function setUp(current: Transfer) {
    const store = new RecordingTransfers(current);
    const events = new RecordingEvents();
    const transitions = new TransferTransitions(
      store as unknown as TransferRepository,
      events as unknown as TransferEvents,
    );
    return { store, events, transitions };
  }

  it('stores a signature only for the lease holder and keeps the lease for the broadcast', async () => {
    const { store, events, transitions } = setUp(transfer(['approved']));
    const moved = await transitions.markSigned(store.stored, 'worker-a', signedTx, {
      energy: 65_000n,
      feeSun: 27_000_000n,
    });

    expect(moved?.status).toBe('signed');
    const [request] = store.transitions;
    expect(request).toMatchObject({ from: ['approved'], to: 'signed', lockedBy: 'worker-a' });
    expect(request.release).toBeUndefined();
    expect(request.set).toMatchObject({
      tx: signedTx,
      estimatedEnergy: 65_000n,
      estimatedFeeSun: 27_000_000n,
    });
    expect(events.moves).toEqual([{ from: 'approved', to: 'signed' }]);
  });

  it('announces nothing when the guard no longer holds', async () => {
    const { store, events, transitions } = setUp(transfer(['approved']));
    store.guardHolds = false;

    await expect(
      transitions.markSigned(store.stored, 'worker-a', signedTx, { energy: 1n, feeSun: 1n }),
    ).resolves.toBeNull();
    await expect(transitions.cancel(store.stored, 'operator-1')).resolves.toBeNull();
    expect(events.moves).toEqual([]);
    // The guards themselves: the signature only by the lease holder (who keeps it), a cancel only while no
    // lease is live, ending a lease that ran out so its worker can record nothing on the cancelled transfer.
    expect(
      store.transitions.map(({ from, to, lockedBy, where, release }) => ({
        from,
        to,
        lockedBy,
        where,
        release,
      })),
    ).toEqual([
      { from: ['approved'], to: 'signed', lockedBy: 'worker-a', where: undefined, release: undefined },
      {
        from: ['pending_approval', 'approved'],
        to: 'cancelled',
        lockedBy: undefined,
        where: { $or: [{ lockedUntil: null }, { lockedUntil: { $lt: expect.any(Date) } }] },
        release: true,
      },
    ]);
  });

  it('settles a failed receipt as failed with its code, a good one as confirmed, both guarded by the txid', async () => {
    const failing = setUp(transfer(['approved', 'signed', 'broadcast'], { tx: signedTx }));
    await failing.transitions.settle(failing.store.stored, {
      txid: signedTx.txid,
      receipt,
      confirmations: 19,
      failure: reverted,
      note: 'receipt REVERT',
    });
    expect(failing.store.transitions[0]).toMatchObject({
      from: ['signed', 'broadcast'],
      to: 'failed',
      where: { 'tx.txid': signedTx.txid },
      set: { failure: reverted, confirmations: 19 },
      release: true,
    });
    expect(failing.store.transitions[0].set).not.toHaveProperty('confirmedAt');
    expect(failing.events.moves).toEqual([{ from: 'broadcast', to: 'failed' }]);

    const paying = setUp(transfer(['approved', 'signed', 'broadcast'], { tx: signedTx }));
    await paying.transitions.settle(paying.store.stored, {
      txid: signedTx.txid,
      receipt,
      confirmations: 19,
      note: 'ok',
    });
    expect(paying.store.transitions[0].to).toBe('confirmed');
    expect(paying.store.transitions[0].set).toHaveProperty('confirmedAt');
    expect(paying.store.transitions[0].set).not.toHaveProperty('failure');
  });

  it('replaces an expired transaction for a new signature, or fails once no replacement is left', async () => {
    const again = setUp(transfer(['approved', 'signed', 'broadcast'], { tx: signedTx }));
    await again.transitions.replace(again.store.stored);
    expect(again.store.transitions[0]).toMatchObject({
      to: 'approved',
      where: { 'tx.txid': signedTx.txid },
      pushSupersededTxid: signedTx.txid,
      unset: ['tx'],
    });
    expect(again.store.transitions[0].set).not.toHaveProperty('failure');

    const exhausted = setUp(transfer(['approved', 'signed', 'broadcast'], { tx: signedTx }));
    await exhausted.transitions.replace(exhausted.store.stored, reverted);
    expect(exhausted.store.transitions[0]).toMatchObject({ to: 'failed', set: { failure: reverted } });
    expect(exhausted.events.moves).toEqual([{ from: 'broadcast', to: 'failed' }]);
  });

  it('moves a signed record seen in a block to broadcast, and only counts confirmations on a broadcast one', async () => {
    const inclusion = { receipt, confirmations: 3, checkAt: at };
    const crashed = setUp(transfer(['approved', 'signed'], { tx: signedTx }));
    await crashed.transitions.markIncluded(crashed.store.stored, 'worker-a', inclusion);
    expect(crashed.store.transitions[0]).toMatchObject({ from: ['signed'], to: 'broadcast', release: true });
    expect(crashed.events.moves).toEqual([{ from: 'signed', to: 'broadcast' }]);

    const sent = setUp(transfer(['approved', 'signed', 'broadcast'], { tx: signedTx, broadcastAt: at }));
    await sent.transitions.markIncluded(sent.store.stored, 'worker-a', inclusion);
    expect(sent.store.transitions).toEqual([]);
    expect(sent.store.releases).toEqual([
      {
        workerId: 'worker-a',
        changes: expect.objectContaining({
          set: expect.objectContaining({ confirmations: 3, broadcastAt: at }),
        }),
      },
    ]);
    expect(sent.events.moves).toEqual([]);
  });

  it('records an approving vote as due now and a vote that leaves it pending without moving it', async () => {
    const governance = { revision: 4, requiredApprovals: 2, votes: [] } as never;
    const pending = setUp(transfer(['pending_approval']));
    const updates: Array<{ guard: unknown; changes: TransferChanges }> = [];
    (pending.store as unknown as { update: unknown }).update = (
      _id: string,
      guard: unknown,
      changes: TransferChanges,
    ) => {
      updates.push({ guard, changes });
      return Promise.resolve(pending.store.stored);
    };
    await pending.transitions.recordVote(
      pending.store.stored,
      governance,
      [],
      'pending_approval',
      'admin-1',
      'first',
    );
    // The vote is written once, compare-and-set on the revision, without a move or an event.
    expect(updates).toEqual([
      {
        guard: { status: ['pending_approval'], where: { 'governance.revision': 4 } },
        changes: { set: { 'governance.votes': [], 'governance.revision': 5 } },
      },
    ]);
    expect(pending.store.transitions).toEqual([]);
    expect(pending.events.moves).toEqual([]);

    const approving = setUp(transfer(['pending_approval']));
    await approving.transitions.recordVote(
      approving.store.stored,
      governance,
      [],
      'approved',
      'admin-2',
      'second',
    );
    expect(approving.store.transitions[0]).toMatchObject({
      to: 'approved',
      where: { 'governance.revision': 4 },
      by: 'admin-2',
      set: { nextAttemptAt: expect.any(Date), 'governance.revision': 5 },
    });
    expect(approving.events.moves).toEqual([{ from: 'pending_approval', to: 'approved' }]);
  });

  it('takes the lease back with a back-off count on a retry and keeps the bytes on a failed send', async () => {
    const { store, transitions } = setUp(transfer(['approved', 'signed'], { tx: signedTx }));
    await transitions.scheduleRetry(store.stored, 'worker-a', reverted, at);
    await transitions.recordSendFailed(store.stored, 'worker-a', reverted, at);
    expect(store.releases.map((r) => r.changes?.inc)).toEqual([
      { failedAttempts: 1 },
      { broadcastAttempts: 1, failedAttempts: 1 },
    ]);
    expect(store.releases[1].changes?.unset).toBeUndefined();
  });
});
