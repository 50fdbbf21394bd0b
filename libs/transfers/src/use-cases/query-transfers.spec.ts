import { AppError, ErrorCode } from '@app/common';

import { InMemoryTransferRepository } from '../testing/in-memory-transfer.repository';
import { newPayout as payout } from '../testing/transfer-fixture';
import { QueryTransfers } from './query-transfers';

describe('QueryTransfers.get', () => {
  function setUp() {
    const repository = new InMemoryTransferRepository();
    const reads = jest.spyOn(repository, 'findById');
    return { repository, reads, query: new QueryTransfers(repository) };
  }

  it('reads a transfer under way every time, so each poll sees its latest status', async () => {
    const { repository, reads, query } = setUp();
    await repository.insert(payout('t1'));

    expect((await query.get('t1')).status).toBe('approved');
    await repository.transition('t1', { from: ['approved'], to: 'cancelled' });
    expect((await query.get('t1')).status).toBe('cancelled');
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('reads a transfer in a final state once, then answers from memory', async () => {
    const { repository, reads, query } = setUp();
    await repository.insert(payout('t1'));
    await repository.transition('t1', { from: ['approved'], to: 'cancelled' });

    const first = await query.get('t1');
    const again = await query.get('t1');

    expect(again).toEqual(first);
    expect(again.status).toBe('cancelled');
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('answers TRANSFER_NOT_FOUND for an unknown id, and reads it again next time', async () => {
    const { repository, reads, query } = setUp();

    await expect(query.get('missing')).rejects.toEqual(new AppError(ErrorCode.TRANSFER_NOT_FOUND));
    await repository.insert(payout('missing'));
    expect((await query.get('missing')).id).toBe('missing');
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
