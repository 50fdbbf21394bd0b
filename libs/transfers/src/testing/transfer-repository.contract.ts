import { ErrorCode } from '@app/common';

import { toTransferView } from '../domain/transfer-view';
import { NewTransfer, TransferRepository } from '../persistence/transfer.repository';

export interface ContractSubject {
  repository: TransferRepository;
  /** A fresh, empty store for each test. */
  reset(): Promise<void>;
}

/**
 * What every TransferRepository must do, the guards first: run on the in-memory one (unit) and on MongoDB
 * through Mongoose on the embedded engine (e2e), so the unit specs of the money path stand on the same rules
 * as the service.
 */
export function transferRepositoryContract(subject: () => ContractSubject): void {
  let repo: TransferRepository;
  let serial = 0;

  beforeEach(async () => {
    await subject().reset();
    repo = subject().repository;
  });

  const payout = (overrides: Partial<NewTransfer> = {}): NewTransfer => {
    serial += 1;
    return {
      id: `contract-${serial}`,
      kind: 'transfer',
      status: 'approved',
      wallet: 'TWallet',
      to: 'TPayee',
      amountRaw: 25_000_000n,
      internal: false,
      requestedBy: 'operator-1',
      idempotencyKey: `contract-key-${serial}`,
      requestHash: 'hash',
      ...overrides,
    };
  };
  const tx = (txid: string) => ({
    txid,
    signedJson: '{}',
    expiration: 1_800_000_000_000,
    signedAt: new Date(),
    feeLimitSun: 30_000_000n,
  });

  it('stores a new transfer with its creation as its first event, and refuses a second with the same key', async () => {
    const first = payout();
    const stored = await repo.insert(first);
    expect(stored).toMatchObject({
      id: first.id,
      status: 'approved',
      amountRaw: 25_000_000n,
      broadcastAttempts: 0,
    });
    expect(stored !== 'duplicate' && stored.history.map((h) => h.status)).toEqual(['approved']);
    expect(await repo.insert({ ...payout(), idempotencyKey: first.idempotencyKey })).toBe('duplicate');
    expect((await repo.findByIdempotencyKey(first.idempotencyKey))?.id).toBe(first.id);
    const second = payout();
    await repo.insert(second);
    const found = await repo.findByIdempotencyKeys([
      first.idempotencyKey,
      'never-used',
      first.idempotencyKey,
    ]);
    expect(found.map((t) => t.id)).toEqual([first.id]);
    const both = await repo.findByIdempotencyKeys([second.idempotencyKey, first.idempotencyKey]);
    expect(both.map((t) => t.id).sort()).toEqual([first.id, second.id].sort());
    expect(await repo.findByIdempotencyKeys([])).toEqual([]);
  });

  it('answers an insert with the transfer a read then finds, fields left out staying out', async () => {
    const held = payout({
      status: 'pending_approval',
      memo: undefined,
      reference: 'INV-7',
      governance: {
        workflow: 'high_value',
        reasons: ['amount at or above 5000'],
        quorum: 2,
        votes: [],
        expiresAt: undefined,
        kycLevel: undefined,
        hits: [{ rule: 'first_payout', action: 'approval', detail: 'first payout', at: new Date() }],
        reservations: [{ counter: 'wallet-day:TWallet:2026-12-08', amountRaw: '25000000' }],
        revision: 0,
      },
    });

    const stored = await repo.insert(held);
    const read = await repo.findById(held.id);

    expect(stored).toEqual(read);
    // Not stored as null: absent, as it was given.
    expect(read?.memo).toBeUndefined();
    expect(read?.governance?.expiresAt).toBeUndefined();
    expect(read).toMatchObject({ reference: 'INV-7', amountRaw: 25_000_000n, confirmations: 0 });
    expect(read?.createdAt).toEqual(read?.updatedAt);
  });

  it('leases a due transfer to one worker at a time, oldest due first', async () => {
    const older = payout();
    const newer = payout();
    await repo.insert(older);
    await repo.insert(newer);
    await repo.update(older.id, {}, { set: { nextAttemptAt: new Date(Date.now() - 60_000) } });

    const first = await repo.claimDue(['approved'], 'worker-a', 30_000);
    const second = await repo.claimDue(['approved'], 'worker-b', 30_000);
    const third = await repo.claimDue(['approved'], 'worker-c', 30_000);

    expect([first?.id, second?.id, third]).toEqual([older.id, newer.id, null]);
  });

  it('moves a transfer only from the statuses named, only for the lease holder, only while `where` holds', async () => {
    const item = payout();
    await repo.insert(item);
    await repo.claimDue(['approved'], 'worker-a', 30_000);

    const request = { from: ['approved'] as const, to: 'signed' as const, set: { tx: tx('a'.repeat(64)) } };
    expect(await repo.transition(item.id, { ...request, lockedBy: 'worker-b' })).toBeNull();
    expect(
      await repo.transition(item.id, { ...request, lockedBy: 'worker-a', where: { 'tx.txid': 'x' } }),
    ).toBeNull();
    const signed = await repo.transition(item.id, { ...request, lockedBy: 'worker-a' });
    expect(signed?.status).toBe('signed');
    expect(signed?.tx?.txid).toBe('a'.repeat(64));
    expect(signed?.history.map((h) => h.status)).toEqual(['approved', 'signed']);
    // From a status it has left: nothing, not even a history entry.
    expect(await repo.transition(item.id, { ...request, lockedBy: 'worker-a' })).toBeNull();
    expect((await repo.findById(item.id))?.history).toHaveLength(2);
  });

  it('refuses a move the state machine forbids before it reaches the store', async () => {
    const item = payout();
    await repo.insert(item);
    await expect(repo.transition(item.id, { from: ['approved'], to: 'confirmed' })).rejects.toThrow(
      /forbids approved -> confirmed/,
    );
  });

  it('takes a lease back only from its holder, and a released transfer can be claimed again', async () => {
    const item = payout();
    await repo.insert(item);
    await repo.claimDue(['approved'], 'worker-a', 30_000);

    await repo.release(item.id, 'worker-b', { inc: { failedAttempts: 1 } });
    expect((await repo.findById(item.id))?.failedAttempts).toBe(0);
    expect(await repo.claimDue(['approved'], 'worker-b', 30_000)).toBeNull();

    await repo.release(item.id, 'worker-a', {
      inc: { failedAttempts: 1 },
      set: { nextAttemptAt: new Date() },
    });
    expect((await repo.findById(item.id))?.failedAttempts).toBe(1);
    expect((await repo.claimDue(['approved'], 'worker-b', 30_000))?.id).toBe(item.id);
  });

  it('shows a transfer in a final state the same forever: a stale lease holder and the outbox change nothing', async () => {
    const item = payout();
    await repo.insert(item);
    await repo.claimDue(['approved'], 'worker-a', 1);
    // Cancelled once the lease ran out, as TransferTransitions.cancel does; the move ends the lease.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const final = await repo.transition(item.id, {
      from: ['approved'],
      to: 'cancelled',
      where: { lockedUntil: { $lt: new Date() } },
      release: true,
    });
    expect(final?.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 5));

    // The worker wakes and records a failed step, then the events are delivered, as late as they may come.
    await repo.release(item.id, 'worker-a', {
      set: { lastError: { code: ErrorCode.NODE_UNAVAILABLE, message: 'late', at: new Date() } },
    });
    await repo.markEventsDelivered([
      { id: item.id, event: 1 },
      { id: item.id, event: 2 },
      { id: item.id, event: 2 },
    ]);
    const delivered = await repo.findById(item.id);
    await repo.settleDeliveredEvents(delivered!);

    const after = await repo.findById(item.id);
    expect(after?.deliveredEvents).toEqual([1, 2]);
    expect(toTransferView(after!)).toEqual(toTransferView(final!));
  });

  it('replaces a transaction: the old txid still finds the transfer, the fields unset are gone', async () => {
    const item = payout();
    await repo.insert(item);
    await repo.transition(item.id, { from: ['approved'], to: 'signed', set: { tx: tx('b'.repeat(64)) } });
    const replaced = await repo.transition(item.id, {
      from: ['signed'],
      to: 'approved',
      where: { 'tx.txid': 'b'.repeat(64) },
      unset: ['tx'],
      pushSupersededTxid: 'b'.repeat(64),
    });

    expect(replaced?.tx).toBeUndefined();
    expect(replaced?.supersededTxids).toEqual(['b'.repeat(64)]);
    expect((await repo.findByTxid('b'.repeat(64)))?.id).toBe(item.id);
    expect(await repo.findByTxid('c'.repeat(64))).toBeNull();
  });

  it('ends the pending state of events only when the mark completes them, in any order', async () => {
    const item = payout();
    await repo.insert(item);
    await repo.transition(item.id, { from: ['approved'], to: 'cancelled' });
    const quiet = new Date(Date.now() + 60_000);

    await repo.markEventsDelivered([{ id: item.id, event: 2 }]);
    expect((await repo.findUndeliveredEvents(quiet, 10)).map((t) => t.id)).toEqual([item.id]);
    await repo.markEventsDelivered([{ id: item.id, event: 1 }]);
    const stillPending = await repo.findUndeliveredEvents(quiet, 10);
    expect(stillPending.map((t) => t.id)).toEqual([item.id]);
    expect([...(stillPending[0].deliveredEvents ?? [])].sort()).toEqual([1, 2]);

    await repo.settleDeliveredEvents(stillPending[0]);
    expect(await repo.findUndeliveredEvents(quiet, 10)).toEqual([]);
  });

  it('lets one sweep claim a redelivery, and none once the transfer was written since', async () => {
    const item = payout();
    await repo.insert(item);
    const [found] = await repo.findUndeliveredEvents(new Date(Date.now() + 60_000), 10);
    // A sweep finds transfers quiet for a while: the claim's own write is in a later millisecond.
    await new Promise((resolve) => setTimeout(resolve, 5));

    expect(await repo.claimRedelivery(found)).toBe(true);
    expect(await repo.claimRedelivery(found)).toBe(false);
  });

  it('finds pending events by their last event, not the last write, and a claim restarts the quiet period', async () => {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    const item = payout();
    await repo.insert(item);
    await pause();
    const quietSince = new Date();
    await pause();
    // A write that is not an event (the pipeline rechecking a transfer that waits for funds).
    await repo.update(item.id, {}, { set: { nextAttemptAt: new Date() } });
    const [found] = await repo.findUndeliveredEvents(quietSince, 10);
    expect(found?.id).toBe(item.id);

    await pause();
    const beforeClaim = new Date();
    await pause();
    expect(await repo.claimRedelivery(found)).toBe(true);
    expect(await repo.findUndeliveredEvents(beforeClaim, 10)).toEqual([]);
    // An event written after a sweep found it: that sweep's claim fails, the new event is not redelivered yet.
    const [again] = await repo.findUndeliveredEvents(new Date(Date.now() + 60_000), 10);
    await repo.transition(item.id, { from: ['approved'], to: 'cancelled' });
    expect(await repo.claimRedelivery(again)).toBe(false);
  });

  it('lists newest first and pages with the cursor of the last item', async () => {
    const items = [payout(), payout(), payout()];
    for (const item of items) {
      await repo.insert(item);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const page = await repo.list({ limit: 2 });
    expect(page.map((t) => t.id)).toEqual([items[2].id, items[1].id]);
    const last = page[1];
    const next = await repo.list({ limit: 2, cursor: { createdAt: last.createdAt, id: last.id } });
    expect(next.map((t) => t.id)).toEqual([items[0].id]);
    expect((await repo.list({ limit: 10, status: 'cancelled' })).length).toBe(0);
  });
}
