import type { Transfer } from '../domain/transfer';
import { WatchedTransactions } from './watched-transactions';

const transfer = (txid: string, amountRaw: bigint, kind: Transfer['kind'] = 'transfer', wallet = 'TWallet') =>
  ({
    id: `id-${txid}`,
    kind,
    wallet,
    amountRaw,
    estimatedFeeSun: 10n,
    tx: { txid },
  }) as unknown as Transfer;

describe('WatchedTransactions', () => {
  it('counts what head blocks up to a number included, per wallet, until each is forgotten', () => {
    const watched = new WatchedTransactions();
    watched.watch(transfer('a', 5n));
    watched.watch(transfer('b', 7n));
    watched.watch(transfer('c', 100n, 'approve'));
    watched.watch(transfer('d', 9n, 'transfer', 'TOther'));

    watched.included('a', 10);
    watched.included('b', 12);
    watched.included('c', 10);
    watched.included('d', 10);
    watched.included('zz', 10); // not ours: ignored

    expect(watched.includedBy('TWallet', 9)).toEqual({ usdtRaw: 0n, feeSun: 0n });
    // an approve moves no USDT but pays a fee
    expect(watched.includedBy('TWallet', 10)).toEqual({ usdtRaw: 5n, feeSun: 20n });
    expect(watched.includedBy('TWallet', 12)).toEqual({ usdtRaw: 12n, feeSun: 30n });

    watched.forget('a');
    expect(watched.includedBy('TWallet', 12)).toEqual({ usdtRaw: 7n, feeSun: 20n });
  });

  it('keeps the first inclusion and the first watch of a transaction', () => {
    const watched = new WatchedTransactions();
    watched.watch(transfer('a', 5n));
    watched.included('a', 10);
    watched.included('a', 11);
    // the tracker watches it again on every check: that must not lose what the follower saw
    watched.watch(transfer('a', 5n));
    expect(watched.includedBy('TWallet', 10)).toEqual({ usdtRaw: 5n, feeSun: 10n });
    expect(watched.transferOf('a')).toBe('id-a');
  });
});
