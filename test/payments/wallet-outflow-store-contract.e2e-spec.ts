import mongoose from 'mongoose';

import { MongooseWalletOutflowStore } from '../../libs/transfers/src/persistence/mongoose-wallet-outflow.store';
import {
  WalletOutflowDoc,
  WalletOutflowSchema,
} from '../../libs/transfers/src/persistence/wallet-outflow.schema';
import { walletOutflowStoreContract } from '../../libs/transfers/src/testing/wallet-outflow-store.contract';
import { startTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The contract the unit specs' in-memory outflow store is held to, run on the service's own store against the
 * embedded engine: one conditional command per reservation holds exactly what the funds cover, racing or not.
 */
describe('MongooseWalletOutflowStore on the embedded engine keeps the wallet outflow store contract', () => {
  let db: TestDatabase;
  let connection: mongoose.Connection;
  let model: mongoose.Model<WalletOutflowDoc>;
  let store: MongooseWalletOutflowStore;

  beforeAll(async () => {
    db = await startTestDatabase();
    connection = await mongoose
      .createConnection(db.uri, { dbName: 'outflow-contract', useBigInt64: true })
      .asPromise();
    model = connection.model(WalletOutflowDoc.name, WalletOutflowSchema);
    await model.init();
    store = new MongooseWalletOutflowStore(model);
  });

  afterAll(async () => {
    await connection.close();
    await db.stop();
  });

  walletOutflowStoreContract(() => ({
    store,
    reset: async () => {
      await model.deleteMany({});
    },
  }));
});
