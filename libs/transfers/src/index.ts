export * from './domain/transfer';
export * from './domain/transfer-view';
export * from './persistence/transfer.repository';
export * from './policy/transfer-policy';
export * from './transfers.module';
export * from './use-cases/query-transfers';
export * from './worker/pipeline-context';
export * from './worker/transfer-events';
