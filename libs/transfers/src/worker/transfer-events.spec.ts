import type { Counter, Histogram } from 'prom-client';

import { Transfer } from '../domain/transfer';
import { EventMark, TransferRepository } from '../persistence/transfer.repository';
import { transferThrough } from '../testing/transfer-fixture';
import { EventDeliveries } from './event-deliveries';
import { PipelineContext } from './pipeline-context';
import { asOfEvent, TransferEventRedelivery } from './transfer-event-redelivery';
import { TransferEvents } from './transfer-events';

const metric = { inc: () => undefined, observe: () => undefined };

const transfer = transferThrough;

/** The repository as far as delivery uses it: marks written, transfers found and claimed. */
class DeliveryStore {
  readonly writes: EventMark[][] = [];
  failWrites = false;
  found: Transfer[] = [];
  claimable = new Set<string>();
  markEventsDelivered(marks: readonly EventMark[]): Promise<void> {
    if (this.failWrites) return Promise.reject(new Error('database away'));
    this.writes.push([...marks]);
    return Promise.resolve();
  }
  findUndeliveredEvents(): Promise<Transfer[]> {
    return Promise.resolve(this.found);
  }
  claimRedelivery(t: Transfer): Promise<boolean> {
    return Promise.resolve(this.claimable.has(t.id));
  }
  readonly settled: string[] = [];
  settleDeliveredEvents(t: Transfer): Promise<void> {
    this.settled.push(t.id);
    return Promise.resolve();
  }
}

describe('transfer event delivery', () => {
  let store: DeliveryStore;
  let deliveries: EventDeliveries;
  let events: TransferEvents;

  beforeEach(() => {
    store = new DeliveryStore();
    deliveries = new EventDeliveries(store as unknown as TransferRepository);
    events = new TransferEvents(
      metric as unknown as Counter<string>,
      metric as unknown as Histogram<string>,
      metric as unknown as Histogram<string>,
      deliveries,
    );
  });

  const settle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await deliveries.drain();
  };

  it('marks an event delivered once every subscriber took it, several marks in one write, in order', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    events.subscribe(() => slow);
    events.subscribe(() => undefined);
    events.moved(transfer(['approved', 'signed'], { id: 'b' }), 'approved');
    events.created(transfer(['approved'], { id: 'a' }));
    events.moved(transfer(['approved', 'signed', 'broadcast'], { id: 'b' }), 'signed');
    await settle();
    expect(store.writes).toEqual([]);
    release();
    await settle();
    expect(store.writes).toEqual([
      [
        { id: 'a', event: 1 },
        { id: 'b', event: 2 },
        { id: 'b', event: 3 },
      ],
    ]);
  });

  it('at shutdown waits for the events still with their subscribers, then writes their marks', async () => {
    let release!: () => void;
    const audit = new Promise<void>((resolve) => (release = resolve));
    events.subscribe(() => audit);
    events.moved(transfer(['approved', 'signed'], { id: 'c' }), 'approved');
    let stopped = false;
    const stopping = events.beforeApplicationShutdown().then(() => (stopped = true));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect({ stopped, writes: store.writes }).toEqual({ stopped: false, writes: [] });
    // The audit record is stored after the shutdown began: its mark is written, not left for a redelivery.
    release();
    await stopping;
    expect(store.writes).toEqual([[{ id: 'c', event: 2 }]]);
  });

  it('leaves an event a subscriber refused (or threw on) undelivered, for the sweep', async () => {
    events.subscribe(() => Promise.reject(new Error('audit log busy')));
    events.created(transfer(['approved'], { id: 'a' }));
    await settle();
    const throwing = new TransferEvents(
      metric as unknown as Counter<string>,
      metric as unknown as Histogram<string>,
      metric as unknown as Histogram<string>,
      deliveries,
    );
    throwing.subscribe(() => {
      throw new Error('bug');
    });
    throwing.created(transfer(['approved'], { id: 'c' }));
    await settle();
    expect(store.writes).toEqual([]);
  });

  it('survives a failed mark write: the events are delivered again later, nothing throws', async () => {
    store.failWrites = true;
    events.created(transfer(['approved']));
    await settle();
    store.failWrites = false;
    events.created(transfer(['approved'], { id: 'd' }));
    await settle();
    expect(store.writes).toEqual([[{ id: 'd', event: 1 }]]);
  });

  describe('redelivery sweep', () => {
    const context = { settings: { eventRedeliverAfterMs: 1000 } } as unknown as PipelineContext;
    let received: Array<{ id: string; status: string; events: number; from?: string }>;
    let refuse: (t: Transfer) => boolean;

    beforeEach(() => {
      received = [];
      refuse = () => false;
      events.subscribe((t, from) => {
        if (refuse(t)) return Promise.reject(new Error('refused'));
        received.push({ id: t.id, status: t.status, events: t.history.length, from });
      });
    });

    const sweep = () =>
      new TransferEventRedelivery(store as unknown as TransferRepository, events, context).sweep();

    it('delivers, in order, each event not marked, as the transfer stood then', async () => {
      store.found = [
        transfer(['approved', 'signed', 'broadcast', 'confirmed'], { id: 'x', deliveredEvents: [1, 3] }),
      ];
      store.claimable.add('x');
      expect(await sweep()).toBe(2);
      expect(received).toEqual([
        { id: 'x', status: 'signed', events: 2, from: 'approved' },
        { id: 'x', status: 'confirmed', events: 4, from: 'broadcast' },
      ]);
      await settle();
      expect(store.writes.flat()).toEqual([2, 4].map((event) => ({ id: 'x', event })));
      expect(store.settled).toEqual([]);
    });

    it('gives an earlier event nothing that changed after it: no later failure, no replacement txid', () => {
      const tx = { txid: 'b'.repeat(64) } as Transfer['tx'];
      const failure = { code: 'USDT_ERR_300', message: 'reverted' } as Transfer['failure'];
      const failed = transfer(['approved', 'signed', 'broadcast', 'failed'], { tx, failure });
      expect(asOfEvent(failed, 1)).toMatchObject({ status: 'approved', tx: undefined, failure: undefined });
      expect(asOfEvent(failed, 3)).toMatchObject({ status: 'broadcast', tx, failure: undefined });
      expect(asOfEvent(failed, 4)).toMatchObject({ status: 'failed', tx, failure });
      // Replaced since: which transaction the first `signed` event had is not stored, so none is claimed.
      const replaced = transfer(['approved', 'signed', 'broadcast', 'approved', 'signed'], {
        tx,
        supersededTxids: ['a'.repeat(64)],
      });
      expect(asOfEvent(replaced, 2).tx).toBeUndefined();
      expect(asOfEvent(replaced, 5).tx).toBe(tx);
    });

    it('only ends the pending state of a transfer whose events were all marked, out of order', async () => {
      store.found = [transfer(['approved', 'signed'], { id: 'z', deliveredEvents: [2, 1] })];
      store.claimable.add('z');
      expect(await sweep()).toBe(0);
      expect(received).toEqual([]);
      expect(store.settled).toEqual(['z']);
    });

    it('leaves a transfer another instance claimed, and stops at an event a subscriber refuses', async () => {
      store.found = [
        transfer(['approved', 'signed'], { id: 'taken' }),
        transfer(['approved', 'signed', 'broadcast'], { id: 'y' }),
      ];
      store.claimable.add('y');
      refuse = (t) => t.status === 'signed';
      expect(await sweep()).toBe(1);
      expect(received).toEqual([{ id: 'y', status: 'approved', events: 1, from: undefined }]);
    });

    it('redelivers nothing of a transfer stored before deliveries were recorded, only settles it', async () => {
      store.found = [
        transfer(['approved', 'signed', 'broadcast'], { id: 'old', deliveredEvents: undefined }),
      ];
      store.claimable.add('old');
      expect(await sweep()).toBe(0);
      expect(received).toEqual([]);
      expect(store.settled).toEqual(['old']);
    });
  });
});
