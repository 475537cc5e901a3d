import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../../test/harness.ts';

describe('audit log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is append-only at the database level', async () => {
    await expect(t.deps.database.query('UPDATE audit_log SET action = $1', ['x'])).rejects.toThrow(/append-only/);
    await expect(t.deps.database.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });

  it('is readable by admins only, searchable by actor and entity', async () => {
    const admin = await t.login('admin');
    const res = await admin.get('/api/audit?actor=admin&entity=session');
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({ action: 'login', entity: 'session' });
    const w = await t.login('wangge');
    expect((await w.get('/api/audit')).statusCode).toBe(403);
  });
});
