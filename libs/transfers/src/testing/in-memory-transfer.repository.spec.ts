import { InMemoryTransferRepository } from './in-memory-transfer.repository';
import { transferRepositoryContract } from './transfer-repository.contract';

describe('InMemoryTransferRepository keeps the transfer repository contract', () => {
  let repository = new InMemoryTransferRepository();
  transferRepositoryContract(() => ({
    repository,
    reset: () => {
      repository = new InMemoryTransferRepository();
      return Promise.resolve();
    },
  }));
});
