import { InMemoryWalletOutflowStore } from './in-memory-wallet-outflow.store';
import { walletOutflowStoreContract } from './wallet-outflow-store.contract';

describe('InMemoryWalletOutflowStore keeps the wallet outflow store contract', () => {
  let store = new InMemoryWalletOutflowStore();
  walletOutflowStoreContract(() => ({
    store,
    reset: () => {
      store = new InMemoryWalletOutflowStore();
      return Promise.resolve();
    },
  }));
});
