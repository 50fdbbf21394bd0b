import {
  AuditRecord,
  ChainVerifier,
  GENESIS_HASH,
  MAX_PAYLOAD_CHARS,
  prepareEntry,
  recordHash,
  sealRecord,
} from './audit-record';
import { canonicalJson } from './canonical-json';

const ACTOR = { id: 'admin-1', roles: ['admin'], ip: '127.0.0.1', requestId: 'req-1' };
const AT = new Date('2024-06-01T12:00:00.000Z');

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < length; i++) {
    const entry = prepareEntry({ action: `test.${i}`, details: { i } }, ACTOR, AT);
    const last = records[records.length - 1];
    records.push(sealRecord(entry, last ? { seq: last.seq, hash: last.hash } : null));
  }
  return records;
}

function verify(records: AuditRecord[]) {
  const verifier = new ChainVerifier();
  for (const record of records) {
    const broken = verifier.check(record);
    if (broken) return { broken, verified: verifier.verified };
  }
  return { broken: null, verified: verifier.verified, head: verifier.head };
}

describe('audit records', () => {
  it('stores payloads as canonical JSON with secrets removed and bigint/Date spelled out', () => {
    const entry = prepareEntry(
      {
        action: ' wallets.import ',
        subject: { type: 'wallet', id: 'T1' },
        before: undefined,
        after: { privateKey: 'f'.repeat(64), label: 'hot', amountRaw: 5n, at: AT },
      },
      ACTOR,
      AT,
    );
    expect(entry).toEqual({
      at: AT,
      action: 'wallets.import',
      subject: { type: 'wallet', id: 'T1' },
      actor: ACTOR,
      after: '{"amountRaw":"5","at":"2024-06-01T12:00:00.000Z","label":"hot","privateKey":"[redacted]"}',
    });
    expect('before' in entry).toBe(false);
  });

  it('starts the chain at seq 1 on the genesis hash and links each record to the one before', () => {
    const [first, second] = chain(2);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(recordHash(first)).toBe(first.hash);
  });

  it('covers every field but the hash, including prevHash and the actor', () => {
    const [record] = chain(1);
    const variants: Array<Omit<AuditRecord, 'hash'>> = [
      { ...record, seq: 2 },
      { ...record, at: new Date(AT.getTime() + 1) },
      { ...record, action: 'test.x' },
      { ...record, subject: { type: 't', id: '1' } },
      { ...record, actor: { ...ACTOR, requestId: 'req-2' } },
      { ...record, actor: { ...ACTOR, roles: [] } },
      { ...record, before: '{}' },
      { ...record, details: '{"i":1}' },
      { ...record, prevHash: '1'.repeat(64) },
    ];
    for (const variant of variants) expect(recordHash(variant)).not.toBe(record.hash);
  });

  it('keeps an oversized payload as its size and digest only', () => {
    const entry = prepareEntry(
      { action: 'big', details: { blob: 'x'.repeat(MAX_PAYLOAD_CHARS) } },
      ACTOR,
      AT,
    );
    const details = JSON.parse(entry.details ?? '') as Record<string, unknown>;
    expect(details).toEqual({
      truncated: true,
      chars: expect.any(Number),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('refuses an entry without an action', () => {
    expect(() => prepareEntry({ action: '  ' }, ACTOR, AT)).toThrow(/action/);
  });
});

describe('ChainVerifier', () => {
  it('accepts an intact chain and reports its head', () => {
    const records = chain(5);
    expect(verify(records)).toEqual({
      broken: null,
      verified: 5,
      head: { seq: 5, hash: records[4].hash },
    });
  });

  it('finds a changed field as a hash mismatch at that record', () => {
    const records = chain(5);
    records[2] = { ...records[2], action: 'test.x' };
    expect(verify(records)).toEqual({ broken: { seq: 3, reason: 'hash mismatch' }, verified: 2 });
  });

  it('finds one changed character of a payload', () => {
    const records = chain(3);
    records[1] = { ...records[1], details: records[1].details?.replace('1', '7') };
    expect(verify(records).broken).toEqual({ seq: 2, reason: 'hash mismatch' });
  });

  it('finds a record rewritten with a fresh hash as a broken link in the next one', () => {
    const records = chain(4);
    const forged = { ...records[1], details: canonicalJson({ i: 99 }) };
    records[1] = { ...forged, hash: recordHash(forged) };
    expect(verify(records).broken).toEqual({ seq: 3, reason: 'prevHash mismatch' });
  });

  it('finds a deleted record as missing, the first one included', () => {
    const records = chain(4);
    expect(verify([records[0], records[2], records[3]]).broken).toEqual({ seq: 2, reason: 'missing record' });
    expect(verify(records.slice(1)).broken).toEqual({ seq: 1, reason: 'missing record' });
  });

  it('finds a second record with the same seq (a fork)', () => {
    const records = chain(3);
    const fork = sealRecord(prepareEntry({ action: 'fork' }, ACTOR, AT), { seq: 1, hash: records[0].hash });
    expect(verify([records[0], records[1], fork]).broken).toEqual({ seq: 2, reason: 'duplicate record' });
  });
});
