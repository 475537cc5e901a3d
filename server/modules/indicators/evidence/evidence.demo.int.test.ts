import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../../../../contracts/evidence.ts';
import { parseEvidenceNumber } from '../../../../domain/evidence-number.ts';
import { rowsOf } from '../../../db/client.ts';
import { type TestApp, startTestApp } from '../../../test/harness.ts';
import { png } from '../../files/files.fixtures.ts';
import { seedDemoEvidence, writeDemoEvidenceFiles } from './evidence.demo.ts';
import { createEvidenceFixture, type EvidenceFixture } from './evidence.fixtures.ts';

describe('evidence demo data', () => {
  let t: TestApp;
  let fx: EvidenceFixture;
  beforeAll(async () => {
    t = await startTestApp();
    fx = await createEvidenceFixture(t.deps.db, '演示材料测试体系');
    await t.deps.db.transaction((tx) => seedDemoEvidence(tx, new Date('2026-11-21T04:00:00Z')));
    await writeDemoEvidenceFiles(t.deps.storage);
  });
  afterAll(() => t.close());

  type Row = { id: string; state: string; unit_id: string; number: string | null; file_ids: string[]; last_state: string; events: string[] };
  const items = async () =>
    rowsOf<Row>(
      await t.deps.db.execute(sql`SELECT e.id, e.state, e.unit_id, e.number, e.file_ids,
          (SELECT ev.to_state FROM evidence_events ev WHERE ev.item_id = e.id ORDER BY ev.at DESC, ev.id DESC LIMIT 1) AS last_state,
          (SELECT array_agg(ev.action ORDER BY ev.at, ev.id) FROM evidence_events ev WHERE ev.item_id = e.id) AS events
        FROM evidence_items e WHERE e.system_id = ${fx.systemId}`),
    );

  it('puts the demo task table in every review state, 市城市管理局 too, with consistent event logs and numbers', async () => {
    const rows = await items();
    expect(new Set(rows.map((r) => r.state))).toEqual(new Set(['draft', 'submitted', 'approved', 'returned']));
    expect(new Set(rows.filter((r) => r.unit_id === fx.units.cgj.id).map((r) => r.state))).toEqual(new Set(['draft', 'submitted', 'approved', 'returned']));
    for (const r of rows) {
      expect(r.last_state, r.events.join(',')).toBe(r.state);
      expect(r.events[0]).toBe('generate');
      expect(r.number === null).toBe(r.state === 'draft');
      expect(r.file_ids.length > 0).toBe(r.state !== 'draft');
    }
    const numbers = rows.map((r) => r.number).filter(Boolean);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('the demo city itself (seeded with the template database after the indicators demo) has evidence in every state', async () => {
    const rows = rowsOf<{ state: string; cgj: boolean; n: number }>(
      await t.deps.db.execute(sql`SELECT e.state, e.unit_id = ${fx.units.cgj.id} AS cgj, count(*)::int AS n FROM evidence_items e
        WHERE e.system_id <> ${fx.systemId} GROUP BY 1, 2`),
    );
    expect(new Set(rows.map((r) => r.state))).toEqual(new Set(['draft', 'submitted', 'approved', 'returned']));
    expect(new Set(rows.filter((r) => r.cgj).map((r) => r.state))).toEqual(new Set(['draft', 'submitted', 'approved', 'returned']));
    expect(rows.reduce((s, r) => s + r.n, 0)).toBeGreaterThan(300);
  });

  it('serves the demo files to the unit (real bytes) and counts them in the matrix', async () => {
    const danwei = await t.login('danwei');
    const filed = (await items()).find((r) => r.unit_id === fx.units.cgj.id && r.state !== 'draft')!;
    const file = await danwei.get(`/api/files/${filed.file_ids[0]}/content`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 4).toString('latin1')).toMatch(/^(\x89PNG|%PDF)/);
    const admin = await t.login('admin');
    const m = (await admin.get(`/api/evidence/matrix?systemId=${fx.systemId}`)).json() as Matrix;
    expect(m.totals.due).toBe((await items()).length);
    // a new submission continues the demo's numbering under its standard
    const draft = (await items()).find((r) => r.unit_id === fx.units.cgj.id && r.state === 'draft')!;
    const detail = (await danwei.get(`/api/evidence/items/${draft.id}`)).json();
    const used = (await items()).filter((r) => r.number?.startsWith(`${detail.standardCode})`)).length;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await png())], { type: 'image/png' }), 'p.png');
    const res = new Response(form);
    const up = await danwei.request('POST', '/api/files', Buffer.from(await res.arrayBuffer()), { 'content-type': res.headers.get('content-type')! });
    const sent = await danwei.post(`/api/evidence/items/${draft.id}/submit`, { title: '补报', evidenceDate: '2026-11-20', fileIds: [up.json().items[0].id], version: detail.version });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().number).toMatch(new RegExp(`^${detail.standardCode}\\)-`));
    expect(parseEvidenceNumber(sent.json().number)).toMatchObject({ ok: true, value: { seq: used + 1 } });
  });
});
