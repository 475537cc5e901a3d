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

  it('labels every entry in Chinese and names its object instead of an id', async () => {
    const admin = await t.login('admin');
    const res = await admin.get('/api/audit?pageSize=100');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { action: string; entity: string; entityId: string | null; actionLabel: string; entityLabel: string; entityName: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    for (const e of items) {
      expect(e.actionLabel, `${e.entity}.${e.action}`).toMatch(/^[\u4e00-\u9fa5（）、]+$/);
      expect(e.entityLabel, e.entity).toMatch(/^[\u4e00-\u9fa5]+$/);
      if (e.entityName) expect(e.entityName).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    }
    const login = items.find((e) => e.action === 'login')!;
    expect(login).toMatchObject({ actionLabel: '登录', entityLabel: '登录' });
    expect(login.entityName).toMatch(/（admin）$/);
  });
});
