import { GovernanceRecord } from '../domain/governance';
import { NewTransfer } from '../persistence/transfer.repository';
import { BatchDraft, ReleasableTransfer, TransferPolicy } from '../policy/transfer-policy';
import { InMemoryTransferRepository } from '../testing/in-memory-transfer.repository';
import { TransferEvents } from '../worker/transfer-events';
import { DestinationGuard } from './destination-guard';
import { PayingWallet } from './paying-wallet';
import { RequestBatch } from './request-batch';

const WALLET = 'TWalletAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const destination = (i: number) => `TPayee${String(i).padStart(28, '0')}`;

/** Approves every item at once and records what it is asked to give back. */
class RecordingPolicy {
  readonly givenBack: string[] = [];
  decideBatch(batch: BatchDraft) {
    const governance: GovernanceRecord = {
      workflow: 'default',
      reasons: [],
      quorum: 0,
      votes: [],
      hits: [],
      reservations: [],
      revision: 0,
    };
    return Promise.resolve(batch.items.map(() => ({ outcome: 'approved' as const, governance })));
  }
  released(transfer: ReleasableTransfer): Promise<void> {
    this.givenBack.push(transfer.id);
    return Promise.resolve();
  }
}

/** The driver's error when the server stops answering mid-insert: the write may or may not have landed. */
function socketTimeout(): Error {
  const err = new Error('connection timed out');
  err.name = 'MongoNetworkTimeoutError';
  return err;
}

describe('RequestBatch: what an interrupted batch gives back', () => {
  let transfers: InMemoryTransferRepository;
  let policy: RecordingPolicy;
  let batch: RequestBatch;
  let failItem: (item: NewTransfer) => Error | undefined;

  beforeEach(() => {
    transfers = new InMemoryTransferRepository();
    const insert = transfers.insert.bind(transfers);
    failItem = () => undefined;
    transfers.insert = (item: NewTransfer) => {
      const failure = failItem(item);
      return failure ? Promise.reject(failure) : insert(item);
    };
    policy = new RecordingPolicy();
    batch = new RequestBatch(
      transfers,
      { resolve: () => Promise.resolve({ address: WALLET }) } as unknown as PayingWallet,
      { assertAllowed: () => Promise.resolve() } as unknown as DestinationGuard,
      policy as unknown as TransferPolicy,
      { created: () => undefined } as unknown as TransferEvents,
    );
  });

  const request = (items: number) => ({
    caller: { sub: 'operator-1', roles: ['operator' as const] },
    idempotencyKey: 'batch-key-1',
    items: Array.from({ length: items }, (_, i) => ({ to: destination(i), amount: '1' })),
  });

  it('keeps the hold of an item whose insert went unanswered: it may be stored', async () => {
    const ids: string[] = [];
    failItem = (item) => {
      ids.push(item.id);
      return item.to === destination(1) ? socketTimeout() : undefined;
    };
    await expect(batch.execute(request(2))).rejects.toMatchObject({ name: 'MongoNetworkTimeoutError' });
    expect((await transfers.list({ limit: 10 })).map((t) => t.id)).toEqual([ids[0]]);
    // Item 1 may be stored on a server that resumes: its capacity stays held, nothing is given back.
    expect(policy.givenBack).toEqual([]);
  });

  it('gives back the hold of an item whose insert was refused', async () => {
    const ids: string[] = [];
    failItem = (item) => {
      ids.push(item.id);
      return item.to === destination(1) ? new Error('document failed validation') : undefined;
    };
    await expect(batch.execute(request(2))).rejects.toThrow('document failed validation');
    expect(policy.givenBack).toEqual([ids[1]]);
  });
});
