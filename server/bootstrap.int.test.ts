import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { createDeps } from './bootstrap.ts';
import { loadConfig } from './config.ts';

// First start on an empty embedded data directory, as `npm start` does on a fresh machine.
describe('first start', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'cw-boot-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('seeds the demo city once, with a generated password kept for the start log', async () => {
    const dir = tmp();
    const config = loadConfig({ CHUANGWEN_DATA_DIR: dir });
    const first = await createDeps(config);
    expect(first.report.seeded).toBe('demo');
    const password = readFileSync(path.join(dir, 'demo-credentials.txt'), 'utf8').trim();
    expect(first.report.credentials?.password).toBe(password);
    expect(first.report.credentials?.usernames).toEqual(['admin', 'qu_admin', 'danwei', 'ducha', 'wangge', 'jiandu']);
    const counts = await first.deps.database.query<Record<string, number>>(`SELECT
      (SELECT count(*)::int FROM org_units WHERE kind = 'district') AS districts,
      (SELECT count(*)::int FROM org_units WHERE kind = 'street') AS streets,
      (SELECT count(*)::int FROM org_units WHERE kind = 'community') AS communities,
      (SELECT count(*)::int FROM org_units WHERE kind IN ('department', 'unit')) AS units,
      (SELECT count(*)::int FROM grids g WHERE EXISTS (SELECT 1 FROM grid_workers w WHERE w.grid_id = g.id)) AS staffed_grids,
      (SELECT count(*)::int FROM zones z WHERE EXISTS (SELECT 1 FROM sponsorships s WHERE s.target_id = z.id)) AS sponsored_zones,
      (SELECT count(*)::int FROM points) AS points,
      (SELECT count(DISTINCT type_id)::int FROM points) AS point_types`);
    expect(counts.rows[0]).toMatchObject({ districts: 2, streets: 4, communities: 8, staffed_grids: 16, point_types: 26 });
    expect(counts.rows[0].units).toBeGreaterThanOrEqual(30);
    expect(counts.rows[0].sponsored_zones).toBeGreaterThanOrEqual(3);
    expect(counts.rows[0].points).toBeGreaterThanOrEqual(80);
    await first.deps.database.close();

    const second = await createDeps(config);
    expect(second.report.seeded).toBeNull();
    expect(second.report.credentials?.password).toBe(password);
    await second.deps.database.close();
  });

  it('without the demo, creates an admin who must change the generated password', async () => {
    const config = loadConfig({ CHUANGWEN_DATA_DIR: tmp(), CHUANGWEN_SEED_DEMO: 'never', CHUANGWEN_CITY_NAME: '测试市' });
    const { deps, report } = await createDeps(config);
    expect(report.seeded).toBe('admin');
    const app = await buildApp(deps);
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: report.credentials!.password } });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
    expect(login.json().unit.name).toBe('测试市');
    const cookie = `cw_sid=${login.cookies.find((c) => c.name === 'cw_sid')!.value}`;
    const blocked = await app.inject({ method: 'GET', url: '/api/org/units', headers: { cookie } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie, 'x-csrf-token': login.json().csrfToken },
      payload: { oldPassword: report.credentials!.password, newPassword: 'Strong-Pass-2026' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/org/units', headers: { cookie } })).statusCode).toBe(200);
    await app.close();
    await deps.database.close();
  });
});
