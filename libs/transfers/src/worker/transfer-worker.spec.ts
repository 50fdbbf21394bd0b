import type { ConfigService } from '@nestjs/config';

import { ErrorCode } from '@app/common';
import type { AllConfig } from '@app/config';

import { Transfer, TransferStatus } from '../domain/transfer';
import { OutgoingGate } from '../policy/transfer-policy';
import { InMemoryTransferRepository } from '../testing/in-memory-transfer.repository';
import { newPayout } from '../testing/transfer-fixture';
import { DisabledWalletsHint } from './disabled-wallets-hint';
import { PipelineContext } from './pipeline-context';
import { PrepareAndSign } from './prepare-and-sign';
import { TrackOnChain } from './track-on-chain';
import { TransferWorker } from './transfer-worker';

/** The store, telling the test when a loop found nothing left to claim: it has passed over everything. */
class ObservedTransfers extends InMemoryTransferRepository {
  private idle?: () => void;
  untilIdle(): Promise<void> {
    return new Promise((resolve) => (this.idle = resolve));
  }
  override async claimDue(
    ...args: Parameters<InMemoryTransferRepository['claimDue']>
  ): Promise<Transfer | null> {
    const claimed = await super.claimDue(...args);
    if (!claimed) this.idle?.();
    return claimed;
  }
}

/**
 * Which transfers the pipeline loops pick up, decided instantly: what the e2e suites used to prove by waiting
 * a second and seeing nothing signed.
 */
describe('TransferWorker: what the loops claim', () => {
  let transfers: ObservedTransfers;
  let prepared: string[];
  let tracked: string[];
  let open: boolean;
  let disabled: string[];
  let worker: TransferWorker;

  beforeEach(() => {
    transfers = new ObservedTransfers();
    prepared = [];
    tracked = [];
    open = true;
    disabled = [];
    const settings = { workerEnabled: true, workerConcurrency: 1, pollIntervalMs: 5, leaseMs: 60_000 };
    const context = new PipelineContext({ getOrThrow: () => settings } as unknown as ConfigService<
      AllConfig,
      true
    >);
    // The steps only note what they were given; the lease stays taken, so each transfer is seen once.
    const prepare = {
      run: (t: Transfer) => Promise.resolve(void prepared.push(t.id)),
    } as unknown as PrepareAndSign;
    const tracker = {
      run: (t: Transfer) => Promise.resolve(void tracked.push(t.id)),
    } as unknown as TrackOnChain;
    const gate = { isOpen: () => Promise.resolve(open) } as unknown as OutgoingGate;
    const hint = { addresses: () => Promise.resolve(disabled) } as unknown as DisabledWalletsHint;
    worker = new TransferWorker(transfers, prepare, tracker, context, gate, hint);
  });

  afterEach(() => worker.onModuleDestroy());

  async function stored(id: string, status: TransferStatus, wallet = 'TWallet'): Promise<void> {
    await transfers.insert(
      newPayout(id, { status: status === 'pending_approval' ? 'pending_approval' : 'approved', wallet }),
    );
    if (status === 'signed' || status === 'broadcast') {
      await transfers.transition(id, { from: ['approved'], to: 'signed' });
    }
    if (status === 'broadcast') await transfers.transition(id, { from: ['signed'], to: 'broadcast' });
  }

  async function runUntilIdle(): Promise<void> {
    const idle = transfers.untilIdle();
    worker.onApplicationBootstrap();
    await idle;
  }

  it('signs approved transfers, follows signed ones, and never touches one awaiting approval', async () => {
    await stored('held', 'pending_approval');
    await stored('queued', 'approved');
    await stored('sent', 'broadcast');

    await runUntilIdle();

    expect(prepared).toEqual(['queued']);
    expect(tracked).toEqual(['sent']);
    expect((await transfers.findById('held'))?.status).toBe('pending_approval');
  });

  it('claims no queued transfer while the emergency stop holds, but still follows what is already signed', async () => {
    open = false;
    await stored('queued', 'approved');
    await stored('signed', 'signed');

    await runUntilIdle();

    expect(prepared).toEqual([]);
    expect(tracked).toEqual(['signed']);
  });

  it("leaves a disabled wallet's parked transfers alone, and claims one not yet marked to mark it", async () => {
    disabled = ['TDisabled'];
    await stored('parked', 'approved', 'TDisabled');
    await transfers.markQueuedWaiting('TDisabled', {
      code: ErrorCode.WALLET_DISABLED,
      message: 'disabled',
      at: new Date(),
    });
    await stored('new', 'approved', 'TDisabled');
    await stored('other', 'approved');

    await runUntilIdle();

    expect(prepared.sort()).toEqual(['new', 'other']);
  });
});
