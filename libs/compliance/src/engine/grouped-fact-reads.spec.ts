import type { PayoutHistory } from '../persistence/payout-history';
import { A, B, C, fakeFactSources } from '../testing/fact-sources';
import { GroupedFactReads } from './grouped-fact-reads';

const at = new Date('2026-12-07T10:00:00Z');
const transfer = { kind: 'transfer' as const, excludeId: 'draft' };

function reads() {
  const calls: string[] = [];
  const { lists, kyc } = fakeFactSources(calls, at);
  /** Paid destinations, and whether by a confirmed payout. */
  const paid = new Map([[A, false]]);
  const history = {
    paidAmong: (addresses: readonly string[], kind: string) => {
      calls.push(`paid ${kind} ${addresses.join(',')}`);
      const found = addresses.filter((a) => kind === 'transfer' && paid.has(a));
      return Promise.resolve({
        paid: new Set(found),
        confirmed: new Set(found.filter((a) => paid.get(a))),
      });
    },
  } as unknown as PayoutHistory;
  return { calls, paid, facts: new GroupedFactReads(lists, kyc, history) };
}

describe('GroupedFactReads', () => {
  it('answers the questions of payouts arriving together with one read each, every address its own answer', async () => {
    const { calls, facts } = reads();
    const [entries, records, paid] = await Promise.all([
      Promise.all([A, B, C, B].map((address) => facts.screeningEntries(address))),
      Promise.all([A, C].map((address) => facts.kycRecord(address))),
      Promise.all([A, B, A].map((address) => facts.hasPaid(address, transfer))),
    ]);
    expect(calls.sort()).toEqual(['kyc TAaaa,TCccc', 'lists TAaaa,TBbbb,TCccc', 'paid transfer TAaaa,TBbbb']);
    expect(entries.map((found) => found.map((e) => e.list))).toEqual([[], ['block'], [], ['block']]);
    expect(records.map((record) => record?.level ?? null)).toEqual([null, 'full']);
    expect(paid).toEqual([true, false, true]);
  });

  it('asks about approves and transfers apart', async () => {
    const { calls, facts } = reads();
    const answers = await Promise.all([
      facts.hasPaid(A, transfer),
      facts.hasPaid(A, { kind: 'approve', excludeId: 'x' }),
    ]);
    expect(answers).toEqual([true, false]);
    expect(calls.sort()).toEqual(['paid approve TAaaa', 'paid transfer TAaaa']);
  });

  it('takes a destination paid by a confirmed payout as paid without asking again, and asks about others', async () => {
    const { calls, paid, facts } = reads();
    expect(await facts.hasPaid(A, transfer)).toBe(true);
    // Paid only by a payout in flight: that may still fail, so it is asked about again.
    paid.delete(A);
    expect(await facts.hasPaid(A, transfer)).toBe(false);
    paid.set(B, true);
    expect(await facts.hasPaid(B, transfer)).toBe(true);
    paid.delete(B);
    expect(await facts.hasPaid(B, transfer)).toBe(true);
    expect(calls).toEqual(['paid transfer TAaaa', 'paid transfer TAaaa', 'paid transfer TBbbb']);
  });

  it("reads a batch's destinations at once, not asking about those paid by a confirmed payout", async () => {
    const { calls, paid, facts } = reads();
    paid.set(A, true);
    expect(await facts.paidAmong([A, B, C], 'transfer')).toEqual(new Set([A]));
    paid.set(B, false);
    // A is remembered from the batch before, B (in flight) and C are asked about again; single payouts share
    // what batches learnt.
    expect(await facts.paidAmong([A, B, C], 'transfer')).toEqual(new Set([A, B]));
    expect(await facts.hasPaid(A, transfer)).toBe(true);
    expect(calls).toEqual(['paid transfer TAaaa,TBbbb,TCccc', 'paid transfer TBbbb,TCccc']);
    expect(await facts.paidAmong([A], 'transfer')).toEqual(new Set([A]));
    expect(calls).toHaveLength(2);
  });
});
