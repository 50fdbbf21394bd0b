import { Transfer, TransferStatus } from '../domain/transfer';
import { NewTransfer } from '../persistence/transfer.repository';

/** The moment every fixture transfer was created and moved at. */
export const FIXTURE_AT = new Date('2026-12-04T00:00:00Z');

/**
 * A stored transfer that went through `statuses` in order (the last is its status now), all at FIXTURE_AT,
 * with nothing delivered yet; for specs of code that reads or moves transfers.
 */
export function transferThrough(statuses: TransferStatus[], overrides: Partial<Transfer> = {}): Transfer {
  return {
    id: 't1',
    kind: 'transfer',
    status: statuses[statuses.length - 1],
    wallet: 'TWallet',
    to: 'TTo',
    amountRaw: 1_000_000n,
    internal: false,
    requestedBy: 'operator-1',
    idempotencyKey: 'k',
    requestHash: 'h',
    supersededTxids: [],
    broadcastAttempts: 0,
    failedAttempts: 0,
    confirmations: 0,
    nextAttemptAt: FIXTURE_AT,
    history: statuses.map((status) => ({ status, at: FIXTURE_AT })),
    deliveredEvents: [],
    createdAt: FIXTURE_AT,
    updatedAt: FIXTURE_AT,
    ...overrides,
  };
}

/** A new payout as intake hands it to the repository: approved, 1 USDT from TWallet to TPayee. */
export function newPayout(id: string, overrides: Partial<NewTransfer> = {}): NewTransfer {
  return {
    id,
    kind: 'transfer',
    status: 'approved',
    wallet: 'TWallet',
    to: 'TPayee',
    amountRaw: 1_000_000n,
    internal: false,
    requestedBy: 'operator-1',
    idempotencyKey: `key-${id}`,
    requestHash: 'hash',
    ...overrides,
  };
}
