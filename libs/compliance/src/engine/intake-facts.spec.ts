import type { PayoutHistory } from '../persistence/payout-history';
import { A, B, C, fakeFactSources } from '../testing/fact-sources';
import { factsForBatch } from './intake-facts';

const at = new Date('2026-12-04T10:00:00Z');
const scope = { kind: 'transfer' as const, excludeId: 'draft' };

function sources() {
  const calls: string[] = [];
  const { lists, kyc } = fakeFactSources(calls, at);
  const history = {
    hasPaid: (to: string, { kind }: { kind: string }) => {
      calls.push(`hasPaid ${kind} ${to}`);
      return Promise.resolve(false);
    },
    countFrom: (wallet: string, since: Date) => {
      calls.push(`countFrom ${wallet} ${since.toISOString()}`);
      return Promise.resolve(42);
    },
  } as unknown as PayoutHistory;
  const payees = {
    paidAmong: (addresses: readonly string[], kind: string) => {
      calls.push(`paid ${kind} ${addresses.join(',')}`);
      return Promise.resolve(new Set([A]));
    },
  };
  return { calls, lists, kyc, history, payees };
}

describe('factsForBatch', () => {
  it('asks each question once for every destination of the batch, and answers per address', async () => {
    const { calls, ...read } = sources();
    const facts = await factsForBatch(read, [A, B, C, A, B], 'transfer');
    expect(calls).toEqual([
      'lists TAaaa,TBbbb,TCccc',
      'kyc TAaaa,TBbbb,TCccc',
      'paid transfer TAaaa,TBbbb,TCccc',
    ]);

    expect(await facts.screeningEntries(B)).toHaveLength(1);
    expect(await facts.screeningEntries(A)).toEqual([]);
    expect((await facts.kyc(C))?.level).toBe('full');
    expect(await facts.kyc(A)).toBeNull();
    expect([await facts.hasPaid(A, scope), await facts.hasPaid(B, scope)]).toEqual([true, false]);
    expect(calls).toHaveLength(3);
  });

  it('reads the wallet velocity count once per window, each draft counting for the next, and asks the history for another kind', async () => {
    const { calls, ...read } = sources();
    const facts = await factsForBatch(read, [A], 'transfer');
    const since = new Date(at.getTime() - 3_600_000);
    // 42 stored; the batch's own drafts count as they are evaluated, up to the rule's bound.
    const counts = await Promise.all([1, 2, 3].map(() => facts.countFrom('TWallet', since, scope, 43)));
    expect(counts).toEqual([42, 43, 43]);
    expect(await facts.hasPaid(A, { kind: 'approve', excludeId: 'x' })).toBe(false);
    expect(calls.slice(3)).toEqual([`countFrom TWallet ${since.toISOString()}`, 'hasPaid approve TAaaa']);
  });
});
