import type { Counter } from 'prom-client';

import { AppError, ErrorCode, runWithRequest } from '@app/common';

import { ChainVerifier } from './domain/audit-record';
import { HashChainAuditTrail, MAX_APPEND_ATTEMPTS, MAX_RECORDS_PER_INSERT } from './hash-chain-audit-trail';
import { InMemoryAuditLogRepository } from './testing/in-memory-audit-log.repository';

const counter = { inc: () => undefined } as unknown as Counter<string>;

function verifies(repo: InMemoryAuditLogRepository): boolean {
  const verifier = new ChainVerifier();
  return [...repo.records].sort((a, b) => a.seq - b.seq).every((r) => verifier.check(r) === null);
}

describe('HashChainAuditTrail', () => {
  it('appends concurrent records of one instance in call order without racing itself', async () => {
    const repo = new InMemoryAuditLogRepository(true);
    const trail = new HashChainAuditTrail(repo, counter, counter);
    await Promise.all(Array.from({ length: 50 }, (_, i) => trail.record({ action: `a.${i}` })));
    expect(repo.records.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(repo.records.map((r) => r.action)).toEqual(Array.from({ length: 50 }, (_, i) => `a.${i}`));
    expect(repo.duplicateRefusals).toBe(0);
    expect(verifies(repo)).toBe(true);
    // Recorded in one tick, they go in one insert.
    expect(repo.insertCalls).toBe(1);
  });

  it('splits a burst larger than one insert takes, still in call order', async () => {
    const repo = new InMemoryAuditLogRepository(true);
    const trail = new HashChainAuditTrail(repo, counter, counter);
    const count = MAX_RECORDS_PER_INSERT * 2 + 5;
    await Promise.all(Array.from({ length: count }, (_, i) => trail.record({ action: `a.${i}` })));
    expect(repo.records.map((r) => r.action)).toEqual(Array.from({ length: count }, (_, i) => `a.${i}`));
    expect(repo.insertCalls).toBe(3); // 200, 200 and 5
    expect(verifies(repo)).toBe(true);
  });

  it('stores every waiting record before shutdown, also past one insert', async () => {
    const repo = new InMemoryAuditLogRepository(true);
    const trail = new HashChainAuditTrail(repo, counter, counter);
    const records = Array.from({ length: MAX_RECORDS_PER_INSERT + 5 }, (_, i) =>
      trail.record({ action: `a.${i}` }),
    );
    await trail.beforeApplicationShutdown();
    expect(repo.records).toHaveLength(MAX_RECORDS_PER_INSERT + 5);
    await Promise.all(records);
  });

  it('stores the part of a batch before a taken seq and re-seals the rest onto the new head', async () => {
    const repo = new InMemoryAuditLogRepository();
    const [mine, theirs] = [
      new HashChainAuditTrail(repo, counter, counter),
      new HashChainAuditTrail(repo, counter, counter),
    ];
    await mine.record({ action: 'mine.0' });
    // Another instance takes seq 3 while this one still believes seq 1 is the head.
    await theirs.record({ action: 'theirs.1' });
    await theirs.record({ action: 'theirs.2' });
    repo.records.splice(1, 1); // seq 2 gone: this instance's batch stores seq 2, then meets seq 3
    await Promise.all([
      mine.record({ action: 'mine.1' }),
      mine.record({ action: 'mine.2' }),
      mine.record({ action: 'mine.3' }),
    ]);
    expect(repo.records.map((r) => `${r.seq}:${r.action}`)).toEqual([
      '1:mine.0',
      '3:theirs.2',
      '2:mine.1',
      '4:mine.2',
      '5:mine.3',
    ]);
  });

  it('reads the head once and then appends with single inserts while nobody else writes', async () => {
    const repo = new InMemoryAuditLogRepository();
    const trail = new HashChainAuditTrail(repo, counter, counter);
    for (let i = 0; i < 10; i++) await trail.record({ action: `a.${i}` });
    expect(repo.headReads).toBe(1);
  });

  it('re-reads the head when another instance wrote since its own last record', async () => {
    const repo = new InMemoryAuditLogRepository();
    const [mine, theirs] = [
      new HashChainAuditTrail(repo, counter, counter),
      new HashChainAuditTrail(repo, counter, counter),
    ];
    await mine.record({ action: 'mine.1' });
    await theirs.record({ action: 'theirs.1' });
    await theirs.record({ action: 'theirs.2' });
    await mine.record({ action: 'mine.2' });
    expect(repo.records.map((r) => `${r.seq}:${r.action}`)).toEqual([
      '1:mine.1',
      '2:theirs.1',
      '3:theirs.2',
      '4:mine.2',
    ]);
    expect(repo.duplicateRefusals).toBe(1);
    expect(verifies(repo)).toBe(true);
  });

  it('keeps one unbroken chain when several instances share the log', async () => {
    const repo = new InMemoryAuditLogRepository(true);
    const trails = Array.from({ length: 3 }, () => new HashChainAuditTrail(repo, counter, counter));
    await Promise.all(
      Array.from({ length: 90 }, (_, i) => trails[i % 3].record({ action: `a.${i}`, details: { i } })),
    );
    expect(repo.records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 90 }, (_, i) => i + 1),
    );
    expect(new Set(repo.records.map((r) => r.action)).size).toBe(90);
    expect(repo.duplicateRefusals).toBeGreaterThan(0);
    expect(verifies(repo)).toBe(true);
  });

  it('gives up with USDT_ERR_601 after the bounded number of lost races', async () => {
    class AlwaysTaken extends InMemoryAuditLogRepository {
      override insertChain(): Promise<number> {
        this.duplicateRefusals++;
        return Promise.resolve(0);
      }
    }
    const repo = new AlwaysTaken();
    const trail = new HashChainAuditTrail(repo, counter, counter);
    const error = await trail.record({ action: 'a' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.WRITE_CONFLICT);
    expect(repo.duplicateRefusals).toBe(MAX_APPEND_ATTEMPTS);
  });

  it('fails the records of the insert that fails and carries on with the next', async () => {
    class FailsOnce extends InMemoryAuditLogRepository {
      private failed = false;
      override insertChain(
        records: Parameters<InMemoryAuditLogRepository['insertChain']>[0],
      ): Promise<number> {
        if (this.failed) return super.insertChain(records);
        this.failed = true;
        return Promise.reject(new AppError(ErrorCode.DATABASE_UNAVAILABLE));
      }
    }
    const repo = new FailsOnce();
    const trail = new HashChainAuditTrail(repo, counter, counter);
    const failed = await Promise.allSettled([trail.record({ action: 'a' }), trail.record({ action: 'a2' })]);
    const later = await Promise.allSettled([trail.record({ action: 'b' }), trail.record({ action: 'c' })]);
    expect([...failed, ...later].map((s) => s.status)).toEqual([
      'rejected',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(repo.records.map((r) => [r.seq, r.action])).toEqual([
      [1, 'b'],
      [2, 'c'],
    ]);
    expect(repo.headReads).toBe(2); // the failed insert may have been stored: the head is read again
  });

  it('takes the actor from the entry, else the current request, else system', async () => {
    const repo = new InMemoryAuditLogRepository();
    const trail = new HashChainAuditTrail(repo, counter, counter);
    const req = { user: { sub: 'admin-1', roles: ['admin'] }, ip: '10.0.0.7', id: 'req-42' };

    await trail.record({ action: 'explicit', actor: { id: 'system:sweeper', roles: [] } });
    await runWithRequest(req as never, () => trail.record({ action: 'in-request' }));
    await trail.record({ action: 'outside' });

    expect(repo.records.map((r) => r.actor)).toEqual([
      { id: 'system:sweeper', roles: [] },
      { id: 'admin-1', roles: ['admin'], ip: '10.0.0.7', requestId: 'req-42' },
      { id: 'system', roles: [] },
    ]);
  });

  it('reads the request user when recording, not when the request began', async () => {
    const repo = new InMemoryAuditLogRepository();
    const trail = new HashChainAuditTrail(repo, counter, counter);
    const req: { user?: { sub: string; roles: string[] }; ip: string } = { ip: '::1' };
    await runWithRequest(req as never, async () => {
      await trail.record({ action: 'before-auth' });
      req.user = { sub: 'op-1', roles: ['operator'] };
      await trail.record({ action: 'after-auth' });
    });
    expect(repo.records.map((r) => r.actor.id)).toEqual(['anonymous', 'op-1']);
  });

  it('stores no secret handed to it', async () => {
    const repo = new InMemoryAuditLogRepository();
    const trail = new HashChainAuditTrail(repo, counter, counter);
    const key = 'c0ffee'.repeat(10) + 'beef';
    await trail.record({
      action: 'wallets.import',
      after: { privateKey: key },
      details: { apiKey: 'k-123' },
    });
    const stored = JSON.stringify(repo.records);
    expect(stored).not.toContain(key);
    expect(stored).not.toContain('k-123');
  });

  it('waits for queued records before the application shuts down', async () => {
    const repo = new InMemoryAuditLogRepository(true);
    const trail = new HashChainAuditTrail(repo, counter, counter);
    const pending = Array.from({ length: 5 }, (_, i) => trail.record({ action: `a.${i}` }));
    await trail.beforeApplicationShutdown();
    expect(repo.records).toHaveLength(5);
    await Promise.all(pending);
  });
});
