import type { Transfer } from '../domain/transfer';
import { WatchedTransactions } from './watched-transactions';

const transfer = (txid: string, id = `id-${txid}`) => ({ id, tx: { txid } }) as unknown as Transfer;

describe('WatchedTransactions', () => {
  it('maps a watched txid to its transfer until it is forgotten', () => {
    const watched = new WatchedTransactions();
    watched.watch(transfer('a'));
    watched.watch(transfer('b'));
    expect(watched.transferOf('a')?.id).toBe('id-a');
    expect(watched.transferOf('zz')).toBeUndefined();

    watched.forget('a');
    expect(watched.transferOf('a')).toBeUndefined();
    expect(watched.transferOf('b')?.id).toBe('id-b');
  });

  it('keeps the first watch of a transaction and drops entries past their time, oldest first', () => {
    const watched = new WatchedTransactions();
    watched.watch(transfer('a'));
    // the tracker watches it again on every check: the first entry stays
    watched.watch(transfer('a', 'another'));
    expect(watched.transferOf('a')?.id).toBe('id-a');

    watched.forgetOld(Date.now() + 31 * 60_000);
    expect(watched.size).toBe(0);
  });
});
