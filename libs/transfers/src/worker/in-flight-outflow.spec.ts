import type { PendingOutflow, TransferRepository } from '../persistence/transfer.repository';
import { InFlightOutflow } from './in-flight-outflow';

const WALLET = 'TWallet';
const none: PendingOutflow = { usdtRaw: 0n, feeSun: 0n };

/** A database whose pending-outflow reads answer when the test says so. */
function database() {
  const reads: Array<{ answer(value: PendingOutflow): void; fail(err: Error): void }> = [];
  const repository = {
    pendingOutflow: () =>
      new Promise<PendingOutflow>((resolve, reject) => reads.push({ answer: resolve, fail: reject })),
  } as unknown as TransferRepository;
  return { repository, reads };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('InFlightOutflow', () => {
  it('checks that start while a read runs share it, and the second sees what the first held', async () => {
    const { repository, reads } = database();
    const ledger = new InFlightOutflow(repository);
    const first = ledger.begin(WALLET);
    const second = ledger.begin(WALLET);
    expect(reads).toHaveLength(1);
    reads[0].answer({ usdtRaw: 7n, feeSun: 1n });
    const [a, b] = await Promise.all([first, second]);
    expect(a.stored).toEqual({ usdtRaw: 7n, feeSun: 1n });
    expect(a.unseen()).toEqual(none);
    ledger.hold('t1', WALLET, { usdtRaw: 100n, feeSun: 30n });
    expect(b.unseen()).toEqual({ usdtRaw: 100n, feeSun: 30n });
    a.end();
    b.end();
  });

  it('does not count a hold stored before the read was sent (the read has it), and counts one stored after', async () => {
    const { repository, reads } = database();
    const ledger = new InFlightOutflow(repository);
    ledger.hold('before', WALLET, { usdtRaw: 5n, feeSun: 0n });
    ledger.stored('before');
    ledger.hold('stillOpen', WALLET, { usdtRaw: 11n, feeSun: 2n });
    const check = ledger.begin(WALLET);
    ledger.stored('stillOpen');
    ledger.hold('later', WALLET, { usdtRaw: 13n, feeSun: 3n });
    reads[0].answer(none);
    const view = await check;
    expect(view.unseen()).toEqual({ usdtRaw: 24n, feeSun: 5n });
    view.end();
  });

  it('keeps a hold stored while a read runs until every check using that read has ended', async () => {
    const { repository, reads } = database();
    const ledger = new InFlightOutflow(repository);
    ledger.hold('t1', WALLET, { usdtRaw: 9n, feeSun: 0n });
    const check = ledger.begin(WALLET);
    // Stored, then pruned by something else ending: the running read may not hold it, so it must survive.
    ledger.stored('t1');
    const other = ledger.begin('TOther');
    reads[1].answer(none);
    (await other).end();
    reads[0].answer(none);
    const view = await check;
    expect(view.unseen().usdtRaw).toBe(9n);
    view.end();
    expect(ledger.size).toBe(0);
  });

  it('frees a dropped hold and never mixes wallets', async () => {
    const { repository, reads } = database();
    const ledger = new InFlightOutflow(repository);
    ledger.hold('dropped', WALLET, { usdtRaw: 50n, feeSun: 5n });
    ledger.drop('dropped');
    ledger.hold('elsewhere', 'TOther', { usdtRaw: 70n, feeSun: 7n });
    const check = ledger.begin(WALLET);
    reads[0].answer(none);
    const view = await check;
    expect(view.unseen()).toEqual(none);
    view.end();
  });

  it('ends a check whose read failed, and the next check reads again', async () => {
    const { repository, reads } = database();
    const ledger = new InFlightOutflow(repository);
    const failed = ledger.begin(WALLET);
    reads[0].fail(new Error('database away'));
    await expect(failed).rejects.toThrow('database away');
    await settle();
    ledger.hold('t1', WALLET, { usdtRaw: 1n, feeSun: 0n });
    ledger.stored('t1');
    expect(ledger.size).toBe(0);
    const next = ledger.begin(WALLET);
    expect(reads).toHaveLength(2);
    reads[1].answer(none);
    (await next).end();
  });
});
