import mongoose from 'mongoose';

import { MongooseTransferRepository } from '../../libs/transfers/src/persistence/mongoose-transfer.repository';
import { TransferDoc, TransferSchema } from '../../libs/transfers/src/persistence/transfer.schema';
import { transferRepositoryContract } from '../../libs/transfers/src/testing/transfer-repository.contract';
import { startTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The contract the unit specs' in-memory repository is held to, run on the service's own repository against
 * the embedded engine: what the money path's unit specs assume of the store is what MongoDB does.
 */
describe('MongooseTransferRepository on the embedded engine keeps the transfer repository contract', () => {
  let db: TestDatabase;
  let connection: mongoose.Connection;
  let model: mongoose.Model<TransferDoc>;
  let repository: MongooseTransferRepository;

  beforeAll(async () => {
    db = await startTestDatabase();
    connection = await mongoose
      .createConnection(db.uri, { dbName: 'contract', useBigInt64: true })
      .asPromise();
    model = connection.model(TransferDoc.name, TransferSchema);
    await model.init();
    repository = new MongooseTransferRepository(model);
  });

  afterAll(async () => {
    await connection.close();
    await db.stop();
  });

  transferRepositoryContract(() => ({
    repository,
    reset: async () => {
      await model.deleteMany({});
    },
  }));
});
