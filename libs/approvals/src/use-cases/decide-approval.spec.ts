import type { AuditTrail } from '@app/audit';
import type { AuthUser } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import {
  ApprovalWorkflow,
  Transfer,
  TransferEvents,
  TransferPolicy,
  TransferStatus,
  TransferTransitions,
} from '@app/transfers';
import { InMemoryTransferRepository } from '@app/transfers/testing/in-memory-transfer.repository';

import { DecideApproval } from './decide-approval';
import { ExpireApprovals } from './expire-approvals';

const admin = (sub: string): AuthUser => ({ sub, roles: ['admin'] });
const REQUESTER = 'operator-1';

/** Fails with the catalogue code it is given, or the test says what came instead. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'no refusal';
}

describe('DecideApproval (in-memory transfers)', () => {
  let transfers: InMemoryTransferRepository;
  let decide: DecideApproval;
  let released: string[];
  let audited: string[];
  let moves: string[];
  let serial = 0;

  beforeEach(() => {
    transfers = new InMemoryTransferRepository();
    released = [];
    audited = [];
    moves = [];
    const events = {
      moved: (t: Transfer, from: TransferStatus) => moves.push(`${t.id}: ${from} -> ${t.status}`),
    } as unknown as TransferEvents;
    const transitions = new TransferTransitions(transfers, events);
    const policy = {
      released: (t: Transfer) => {
        released.push(t.id);
        return Promise.resolve();
      },
    } as unknown as TransferPolicy;
    const audit = {
      record: (entry: { action: string; subject: { id: string } }) => {
        audited.push(`${entry.action} ${entry.subject.id}`);
        return Promise.resolve();
      },
    } as unknown as AuditTrail;
    const expiry = new ExpireApprovals(transfers, transitions, policy, audit);
    decide = new DecideApproval(transfers, transitions, policy, expiry, audit);
  });

  async function held(
    quorum: number,
    options: { workflow?: ApprovalWorkflow; batchId?: string; expiresAt?: Date } = {},
  ): Promise<string> {
    serial += 1;
    const id = `held-${serial}`;
    await transfers.insert({
      id,
      kind: 'transfer',
      status: 'pending_approval',
      wallet: 'TWallet',
      to: 'TPayee',
      amountRaw: 250_000_000_000n,
      internal: false,
      requestedBy: REQUESTER,
      batchId: options.batchId,
      idempotencyKey: `key-${id}`,
      requestHash: 'hash',
      governance: {
        workflow: options.workflow ?? 'high_value',
        reasons: ['amount at or above 10000 USDT'],
        quorum,
        votes: [],
        expiresAt: options.expiresAt ?? new Date(Date.now() + 3_600_000),
        hits: [],
        reservations: [],
        revision: 0,
      },
    });
    return id;
  }

  const stored = async (id: string) => (await transfers.findById(id))!;

  it('holds a transfer until distinct admins reach the quorum, then releases it to the pipeline once', async () => {
    const id = await held(2);

    const first = await decide.execute(id, admin('admin-a'), 'approve');
    expect(first.status).toBe('pending_approval');
    expect(first.governance?.votes.map((v) => v.by)).toEqual(['admin-a']);

    const second = await decide.execute(id, admin('admin-b'), 'approve', 'checked the invoice');
    expect(second.status).toBe('approved');
    expect(second.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(second.history.at(-1)).toMatchObject({
      status: 'approved',
      by: 'admin-b',
      note: 'checked the invoice',
    });
    expect(moves).toEqual([`${id}: pending_approval -> approved`]);
    expect(audited).toEqual([`approval.approve ${id}`, `approval.approve ${id}`]);
    expect(released).toEqual([]);
  });

  it('refuses the requester, a second vote by the same admin, and a vote once decided', async () => {
    const id = await held(2);

    expect(await refusal(decide.execute(id, admin(REQUESTER), 'approve'))).toBe(ErrorCode.FORBIDDEN_ROLE);
    await decide.execute(id, admin('admin-a'), 'approve');
    expect(await refusal(decide.execute(id, admin('admin-a'), 'approve'))).toBe(ErrorCode.INVALID_STATE);
    await decide.execute(id, admin('admin-b'), 'approve');
    expect(await refusal(decide.execute(id, admin('admin-c'), 'reject'))).toBe(ErrorCode.INVALID_STATE);

    expect((await stored(id)).governance?.votes).toHaveLength(2);
  });

  it('ends a transfer on one reject and gives its limits back once', async () => {
    const id = await held(3);
    await decide.execute(id, admin('admin-a'), 'approve');

    const rejected = await decide.execute(id, admin('admin-b'), 'reject', 'unknown payee');

    expect(rejected.status).toBe('rejected');
    expect(released).toEqual([id]);
    expect(await refusal(decide.execute(id, admin('admin-c'), 'approve'))).toBe(ErrorCode.INVALID_STATE);
    expect(released).toEqual([id]);
  });

  it('counts every one of several admins voting at the same moment (compare-and-set on the revision)', async () => {
    const id = await held(4);

    await Promise.all(
      ['admin-a', 'admin-b', 'admin-c'].map((sub) => decide.execute(id, admin(sub), 'approve')),
    );

    const after = await stored(id);
    expect(after.status).toBe('pending_approval');
    expect(after.governance?.votes.map((v) => v.by).sort()).toEqual(['admin-a', 'admin-b', 'admin-c']);
    expect(after.governance?.revision).toBe(3);
  });

  it('releases a transfer exactly once when two admins complete the quorum together', async () => {
    const id = await held(2);
    await decide.execute(id, admin('admin-a'), 'approve');

    const outcomes = await Promise.allSettled(
      ['admin-b', 'admin-c'].map((sub) => decide.execute(id, admin(sub), 'approve')),
    );

    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(moves).toEqual([`${id}: pending_approval -> approved`]);
  });

  it('expires instead of counting a vote that comes after the deadline', async () => {
    const id = await held(2, { expiresAt: new Date(Date.now() - 1) });

    expect(await refusal(decide.execute(id, admin('admin-a'), 'approve'))).toBe(ErrorCode.INVALID_STATE);

    expect((await stored(id)).status).toBe('expired');
    expect(released).toEqual([id]);
    expect(audited).toEqual([`approval.expired ${id}`]);
  });

  it('decides every pending item of a batch held as a whole with one vote', async () => {
    const items = [
      await held(1, { workflow: 'batch_transfer', batchId: 'batch-1' }),
      await held(1, { workflow: 'batch_transfer', batchId: 'batch-1' }),
      await held(1, { workflow: 'batch_transfer', batchId: 'batch-1' }),
    ];
    const elsewhere = await held(1, { workflow: 'batch_transfer', batchId: 'batch-2' });

    await decide.execute(items[1], admin('admin-a'), 'approve');

    for (const id of items) expect((await stored(id)).status).toBe('approved');
    expect((await stored(elsewhere)).status).toBe('pending_approval');
  });

  it('never approves the rest of a batch whose reject was cut short, and lets the reject be finished', async () => {
    const items = [
      await held(2, { workflow: 'batch_transfer', batchId: 'batch-3' }),
      await held(2, { workflow: 'batch_transfer', batchId: 'batch-3' }),
      await held(2, { workflow: 'batch_transfer', batchId: 'batch-3' }),
    ];
    // A reject that stopped after its first item (a database timeout, say).
    await transfers.transition(items[0], { from: ['pending_approval'], to: 'rejected' });

    expect(await refusal(decide.execute(items[1], admin('admin-a'), 'approve'))).toBe(
      ErrorCode.INVALID_STATE,
    );
    expect((await Promise.all(items.map(stored))).map((t) => t.status)).toEqual([
      'rejected',
      'pending_approval',
      'pending_approval',
    ]);
    await decide.execute(items[2], admin('admin-b'), 'reject', 'finishing the reject');
    expect((await Promise.all(items.map(stored))).map((t) => t.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
    ]);
  });
});
