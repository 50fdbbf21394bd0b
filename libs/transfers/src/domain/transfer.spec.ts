import { canTransition, isCancellable, TRANSFER_STATUSES } from './transfer';

describe('transfer state machine', () => {
  it('follows the happy path', () => {
    expect(canTransition('approved', 'signed')).toBe(true);
    expect(canTransition('signed', 'broadcast')).toBe(true);
    expect(canTransition('broadcast', 'confirmed')).toBe(true);
  });

  it('never leaves a final status', () => {
    for (const from of ['confirmed', 'failed', 'rejected', 'expired', 'cancelled'] as const) {
      for (const to of TRANSFER_STATUSES) expect(canTransition(from, to)).toBe(false);
    }
  });

  it('cannot skip signing on the way to the chain', () => {
    expect(canTransition('approved', 'broadcast')).toBe(false);
    expect(canTransition('pending_approval', 'signed')).toBe(false);
  });

  it('allows cancelling only before signing', () => {
    expect(isCancellable('pending_approval')).toBe(true);
    expect(isCancellable('approved')).toBe(true);
    expect(isCancellable('signed')).toBe(false);
    expect(isCancellable('broadcast')).toBe(false);
  });
});
