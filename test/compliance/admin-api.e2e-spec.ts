import request from 'supertest';

import { freshAddress } from '../support/payment-stack';
import { bearer, tokenFor } from '../support/tokens';
import { API, ComplianceStack, startComplianceStack } from './compliance-stack';

const KYC = `${API}/compliance/kyc`;
const SCREENING = `${API}/compliance/screening`;

describe('compliance admin API: KYC registry and screening lists (real app)', () => {
  let stack: ComplianceStack;
  const operator = bearer(tokenFor('operator', { sub: 'operator-1' }));

  beforeAll(async () => {
    stack = await startComplianceStack(() => undefined, { env: { BODY_LIMIT: '64kb' } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  beforeEach(async () => {
    await stack.connection.collection('screening_entries').deleteMany({});
    stack.audited.length = 0;
  });

  describe('KYC levels', () => {
    it('answers `none` for an address nobody classified', async () => {
      const address = freshAddress();
      const res = await request(stack.app.url).get(`${KYC}/${address}`).set(stack.admin).expect(200);
      expect(res.body).toEqual({ address, level: 'none', note: null, updatedBy: null, updatedAt: null });
    });

    it('stores a level with its note, replaces it, and audits both changes with before and after', async () => {
      const address = freshAddress();
      const put = await request(stack.app.url)
        .put(`${KYC}/${address}`)
        .set(stack.admin)
        .send({ level: 'enhanced', note: 'passport and proof of address' })
        .expect(200);
      expect(put.body).toEqual({
        address,
        level: 'enhanced',
        note: 'passport and proof of address',
        updatedBy: 'admin-1',
        updatedAt: expect.any(String),
      });
      expect(
        (await request(stack.app.url).get(`${KYC}/${address}`).set(stack.admin).expect(200)).body,
      ).toEqual(put.body);

      const downgraded = await request(stack.app.url)
        .put(`${KYC}/${address}`)
        .set(stack.admin)
        .send({ level: 'basic' })
        .expect(200);
      expect(downgraded.body).toMatchObject({ level: 'basic', note: null });
      expect(stack.audited.filter((entry) => entry.action === 'compliance.kyc.set')).toEqual([
        expect.objectContaining({ subject: { type: 'kyc', id: address }, before: null, after: put.body }),
        expect.objectContaining({ before: put.body, after: downgraded.body }),
      ]);
    });

    it('refuses a bad address with USDT_ERR_101 and an unknown level with USDT_ERR_100', async () => {
      const bad = await request(stack.app.url).get(`${KYC}/TNotAnAddress`).set(stack.admin).expect(400);
      expect(bad.body.error.code).toBe('USDT_ERR_101');
      const level = await request(stack.app.url)
        .put(`${KYC}/${freshAddress()}`)
        .set(stack.admin)
        .send({ level: 'platinum' })
        .expect(400);
      expect(level.body.error.code).toBe('USDT_ERR_100');
    });
  });

  describe('screening lists', () => {
    it('adds entries, lists them page by page with a cursor, and filters by list', async () => {
      const blocked = Array.from({ length: 5 }, () => freshAddress()).sort();
      const allowed = freshAddress();
      const added = await request(stack.app.url)
        .post(SCREENING)
        .set(stack.admin)
        .send({
          list: 'block',
          entries: blocked.map((address) => ({ address, reason: 'sanctions' })),
          source: 'ofac-2026-11',
        })
        .expect(200);
      expect(added.body.entries).toHaveLength(5);
      expect(added.body.entries[0]).toEqual({
        address: blocked[0],
        list: 'block',
        reason: 'sanctions',
        source: 'ofac-2026-11',
        addedBy: 'admin-1',
        addedAt: expect.any(String),
      });
      await request(stack.app.url)
        .post(SCREENING)
        .set(stack.admin)
        .send({ list: 'allow', entries: [{ address: allowed }] })
        .expect(200);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await request(stack.app.url)
          .get(SCREENING)
          .query({ list: 'block', limit: 2, ...(cursor ? { cursor } : {}) })
          .set(stack.admin)
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...(page.body.items as Array<{ address: string }>).map((item) => item.address));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(seen).toEqual(blocked);

      const both = await request(stack.app.url).get(SCREENING).set(stack.admin).expect(200);
      expect((both.body.items as Array<{ list: string }>).map((item) => item.list)).toEqual([
        'allow',
        ...blocked.map(() => 'block'),
      ]);
      const bad = await request(stack.app.url)
        .get(SCREENING)
        .query({ cursor: 'nonsense' })
        .set(stack.admin)
        .expect(400);
      expect(bad.body.error.code).toBe('USDT_ERR_105');
    });

    it('writes nothing when one address of a POST is invalid (USDT_ERR_101)', async () => {
      const res = await request(stack.app.url)
        .post(SCREENING)
        .set(stack.admin)
        .send({ list: 'block', entries: [{ address: freshAddress() }, { address: 'T123' }] })
        .expect(400);
      expect(res.body.error.code).toBe('USDT_ERR_101');
      expect(await stack.connection.collection('screening_entries').countDocuments()).toBe(0);
    });

    it('removes an entry once and says so, audited with what was removed', async () => {
      const address = freshAddress();
      await request(stack.app.url)
        .post(SCREENING)
        .set(stack.admin)
        .send({ list: 'block', entries: [{ address }] })
        .expect(200);
      const first = await request(stack.app.url)
        .delete(`${SCREENING}/block/${address}`)
        .set(stack.admin)
        .expect(200);
      expect(first.body).toEqual({ list: 'block', address, removed: true });
      const again = await request(stack.app.url)
        .delete(`${SCREENING}/block/${address}`)
        .set(stack.admin)
        .expect(200);
      expect(again.body.removed).toBe(false);
      expect(stack.audited.filter((entry) => entry.action === 'compliance.screening.remove')).toEqual([
        expect.objectContaining({ before: expect.objectContaining({ address, list: 'block' }), after: null }),
      ]);
    });
  });

  describe('bulk import', () => {
    it('imports CSV with a per-row report: valid rows written, invalid ones listed with their line', async () => {
      const [a, b, c] = [freshAddress(), freshAddress(), freshAddress()];
      const csv = [
        'address,reason',
        `${a},"OFAC SDN, entry 1"`,
        'TThisIsNotAValidTronAddress000000',
        `${b}`,
        `${a},repeated`,
        '',
        `${c},mixer`,
      ].join('\n');
      const res = await request(stack.app.url)
        .post(`${SCREENING}/import`)
        .query({ list: 'block', source: 'ofac-feed' })
        .set(stack.admin)
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(200);
      expect(res.body).toEqual({
        list: 'block',
        source: 'ofac-feed',
        rows: 5,
        acceptedCount: 3,
        invalidCount: 2,
        accepted: [
          { row: 2, address: a, created: true },
          { row: 4, address: b, created: true },
          { row: 7, address: c, created: true },
        ],
        invalid: [
          {
            row: 3,
            address: 'TThisIsNotAValidTronAddress000000',
            message: expect.stringContaining('TRON address'),
          },
          { row: 5, address: a, message: 'duplicate of row 2' },
        ],
      });
      const stored = await stack.connection
        .collection<{ address: string; reason?: string; source: string }>('screening_entries')
        .find({ list: 'block' })
        .toArray();
      expect(
        stored
          .map(({ address, reason, source }) => ({ address, reason, source }))
          .sort((x, y) => x.address.localeCompare(y.address)),
      ).toEqual(
        [
          { address: a, reason: 'OFAC SDN, entry 1', source: 'ofac-feed' },
          { address: b, reason: undefined, source: 'ofac-feed' },
          { address: c, reason: 'mixer', source: 'ofac-feed' },
        ].sort((x, y) => x.address.localeCompare(y.address)),
      );

      // Importing the same file again is harmless: same rows accepted, nothing new created.
      const again = await request(stack.app.url)
        .post(`${SCREENING}/import`)
        .query({ list: 'block', source: 'ofac-feed' })
        .set(stack.admin)
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(200);
      expect((again.body.accepted as Array<{ created: boolean }>).every((row) => !row.created)).toBe(true);
      expect(await stack.connection.collection('screening_entries').countDocuments()).toBe(3);
      expect(stack.audited.filter((entry) => entry.action === 'compliance.screening.import')).toHaveLength(2);
    });

    it('imports JSON, reporting malformed entries per row', async () => {
      const good = freshAddress();
      const res = await request(stack.app.url)
        .post(`${SCREENING}/import`)
        .set(stack.admin)
        .send({
          list: 'allow',
          entries: [{ address: good, reason: 'treasury' }, { address: 42 }, { nope: true }],
        })
        .expect(200);
      expect(res.body).toMatchObject({
        list: 'allow',
        source: 'import',
        acceptedCount: 1,
        invalidCount: 2,
        invalid: [{ row: 2 }, { row: 3, message: 'unknown field nope' }],
      });
    });

    it('refuses an import without a list, an empty one, and a body above the size limit', async () => {
      const noList = await request(stack.app.url)
        .post(`${SCREENING}/import`)
        .set(stack.admin)
        .set('Content-Type', 'text/csv')
        .send(`${freshAddress()}\n`)
        .expect(400);
      expect(noList.body.error).toMatchObject({
        code: 'USDT_ERR_100',
        message: expect.stringContaining('list'),
      });
      await request(stack.app.url)
        .post(`${SCREENING}/import?list=block`)
        .set(stack.admin)
        .set('Content-Type', 'text/csv')
        .send('address,reason\n')
        .expect(400);
      const huge = `${freshAddress()},${'x'.repeat(400)}\n`.repeat(200); // about 87 kB, limit 64 kB
      const tooBig = await request(stack.app.url)
        .post(`${SCREENING}/import?list=block`)
        .set(stack.admin)
        .set('Content-Type', 'text/csv')
        .send(huge);
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.error.code).toBe('USDT_ERR_100');
      expect(await stack.connection.collection('screening_entries').countDocuments()).toBe(0);
    });
  });

  describe('roles', () => {
    const address = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';
    const routes: Array<[string, (agent: request.Agent | ReturnType<typeof request>) => request.Test]> = [
      ['GET kyc', (r) => r.get(`${KYC}/${address}`)],
      ['PUT kyc', (r) => r.put(`${KYC}/${address}`).send({ level: 'full' })],
      ['GET screening', (r) => r.get(SCREENING)],
      ['POST screening', (r) => r.post(SCREENING).send({ list: 'block', entries: [{ address }] })],
      [
        'POST import',
        (r) => r.post(`${SCREENING}/import?list=block`).set('Content-Type', 'text/csv').send(address),
      ],
      ['DELETE screening', (r) => r.delete(`${SCREENING}/block/${address}`)],
    ];

    it.each(routes)(
      '%s answers 403 USDT_ERR_501 to an operator and a viewer, 401 without a token',
      async (_name, call) => {
        for (const caller of [operator, stack.viewer]) {
          const res = await call(request(stack.app.url)).set(caller).expect(403);
          expect(res.body.error.code).toBe('USDT_ERR_501');
        }
        await call(request(stack.app.url)).expect(401);
        expect(await stack.connection.collection('screening_entries').countDocuments()).toBe(0);
      },
    );
  });
});
