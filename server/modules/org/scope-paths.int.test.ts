import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueAction, IssueDetail } from '../../../contracts/issues.ts';
import { addUser, unitByName } from '../../test/factories.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { registeredScopePaths } from './index.ts';

/**
 * Moving a unit moves the scope of every record that carries its path: the registry of
 * scope-carrying columns (scope-paths.ts) is complete, and a street moved to another district
 * takes its issues, evidence, tasks and 督办函 with it.
 */
describe('scope-carrying path columns', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('every *_path column of the database is registered with the org module', async () => {
    const { rows } = await t.deps.database.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name LIKE '%\\_path' ORDER BY 1, 2`,
    );
    expect(rows.length).toBeGreaterThan(5);
    const registered = new Set(registeredScopePaths().map((c) => `${c.table}.${c.column}`));
    const missing = rows.map((r) => `${r.table_name}.${r.column_name}`).filter((c) => !registered.has(c));
    expect(missing, 'register these columns with registerScopePath (ARCHITECTURE.md, "The data-scope rule")').toEqual([]);
    // and nothing registered that the database does not have
    const present = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    expect([...registered].filter((c) => !present.has(c))).toEqual([]);
  });
});

describe('moving a street to another district moves the scope of its records', () => {
  let t: TestApp;
  let admin: Client;
  let oldDistrict: Client; // 文明区 admin (qu_admin)
  let newDistrict: Client; // 和谐区 admin
  let streetAdmin: Client; // 新华街道 admin
  let streetUnit: Client; // 新华街道综合执法队 contact
  let street: { id: string; path: string };
  let hexie: { id: string; path: string };
  let wenming: { id: string; path: string };
  let issue: IssueDetail;
  let letterId: string;
  let evidenceId: string;
  let taskId: string;

  const act = async (c: Client, i: { id: string; version: number }, action: IssueAction, body: Record<string, unknown> = {}): Promise<IssueDetail> => {
    const res = await c.post(`/api/issues/${i.id}/actions/${action}`, { version: i.version, ...body });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json();
  };
  const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((x) => x.id);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
    oldDistrict = await t.login('qu_admin');
    street = await unitByName(t, '新华街道');
    hexie = await unitByName(t, '和谐区');
    wenming = await unitByName(t, '文明区');
    const team = await unitByName(t, '新华街道综合执法队');
    const community = await unitByName(t, '朝阳社区');
    await addUser(t, 'hx_admin', hexie.id, ['district_admin']);
    await addUser(t, 'xh_admin', street.id, ['district_admin']);
    await addUser(t, 'xh_team', team.id, ['unit_contact']);
    newDistrict = await t.login('hx_admin');
    streetAdmin = await t.login('xh_admin');
    streetUnit = await t.login('xh_team');

    // an issue in 朝阳社区, dispatched by the old district to the street's own 综合执法队
    const cats = (await admin.get('/api/issue-categories')).json() as { id: string; name: string }[];
    const filed = await admin.post('/api/issues', { source: 'inspection', categoryId: cats[0].id, title: '迁移测试问题', description: '朝阳社区门口垃圾堆放', areaUnitId: community.id });
    expect(filed.statusCode, filed.body).toBe(200);
    issue = await act(oldDistrict, filed.json(), 'accept');
    issue = await act(oldDistrict, issue, 'dispatch', { unitId: team.id });
    // overdue, so the street office can put it in a 督办函 (its issuer is the street)
    await t.deps.database.query(`UPDATE issues SET deadline = now() - interval '3 days' WHERE id = $1`, [issue.id]);
    issue = (await admin.get(`/api/issues/${issue.id}`)).json();
    const letter = await streetAdmin.post('/api/supervision-letters', { unitId: team.id, issueIds: [issue.id], replyDeadline: '2099-12-31' });
    expect(letter.statusCode, letter.body).toBe(200);
    letterId = letter.json().id;

    // evidence and a task of a unit in the street's subtree (from the demo city; inserted when absent)
    const ev = await t.deps.database.query<{ id: string }>('SELECT id FROM evidence_items WHERE unit_path LIKE $1 ORDER BY id LIMIT 1', [`${street.path}%`]);
    expect(ev.rows.length, 'the demo city has evidence items of 新华街道').toBe(1);
    evidenceId = ev.rows[0].id;
    const task = await t.deps.database.query<{ task_id: string }>('SELECT task_id FROM task_units WHERE unit_path LIKE $1 ORDER BY task_id LIMIT 1', [`${street.path}%`]);
    expect(task.rows.length, 'the demo city has tasks of 新华街道').toBe(1);
    taskId = task.rows[0].task_id;

    // before the move: the old district sees everything, the new one nothing
    expect((await oldDistrict.get(`/api/issues/${issue.id}`)).statusCode).toBe(200);
    expect((await newDistrict.get(`/api/issues/${issue.id}`)).statusCode).not.toBe(200);

    const unit = (await admin.get(`/api/org/units/${street.id}`)).json();
    const moved = await admin.post(`/api/org/units/${street.id}/move`, { version: unit.version, parentId: hexie.id });
    expect(moved.statusCode, moved.body).toBe(200);
    street = await unitByName(t, '新华街道');
    expect(street.path.startsWith(hexie.path)).toBe(true);
  });
  afterAll(() => t.close());

  it('leaves no registered column on the old path', async () => {
    for (const c of registeredScopePaths()) {
      const { rows } = await t.deps.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${c.table}" WHERE "${c.column}" LIKE $1`, [`${wenming.path}${street.id}/%`]);
      expect(rows[0].n, `${c.table}.${c.column}`).toBe(0);
    }
  });

  it('issues: the old district no longer sees or acts, the new district, the street and its unit do', async () => {
    expect([403, 404]).toContain((await oldDistrict.get(`/api/issues/${issue.id}`)).statusCode);
    expect(ids(await oldDistrict.get('/api/issues?pageSize=200&q=迁移测试问题'))).not.toContain(issue.id);
    const refused = await oldDistrict.post(`/api/issues/${issue.id}/actions/sign`, { version: issue.version });
    expect([403, 404]).toContain(refused.statusCode);

    expect((await newDistrict.get(`/api/issues/${issue.id}`)).statusCode).toBe(200);
    expect(ids(await newDistrict.get('/api/issues?pageSize=200&q=迁移测试问题'))).toContain(issue.id);
    expect(ids(await streetAdmin.get('/api/issues?pageSize=200&q=迁移测试问题'))).toContain(issue.id);
    const seen = await streetUnit.get(`/api/issues/${issue.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().allowedActions).toContain('sign');
    // the unit acts on it: signs for it
    issue = await act(streetUnit, seen.json(), 'sign');

    // the city admin's area filter: the new district has it, the old one not
    expect(ids(await admin.get(`/api/issues?pageSize=200&q=迁移测试问题&areaUnitId=${hexie.id}`))).toContain(issue.id);
    expect(ids(await admin.get(`/api/issues?pageSize=200&q=迁移测试问题&areaUnitId=${street.id}`))).toContain(issue.id);
    expect(ids(await admin.get(`/api/issues?pageSize=200&q=迁移测试问题&areaUnitId=${wenming.id}`))).not.toContain(issue.id);
  });

  it('督办函: the recipient unit replies, the street office and the new district see it, the old district does not', async () => {
    expect((await oldDistrict.get(`/api/supervision-letters/${letterId}`)).statusCode).not.toBe(200);
    expect(ids(await oldDistrict.get('/api/supervision-letters?pageSize=200'))).not.toContain(letterId);
    expect((await newDistrict.get(`/api/supervision-letters/${letterId}`)).statusCode).toBe(200);
    expect(ids(await newDistrict.get('/api/supervision-letters?pageSize=200'))).toContain(letterId);
    expect(ids(await streetAdmin.get('/api/supervision-letters?pageSize=200'))).toContain(letterId);
    const letter = (await streetUnit.get(`/api/supervision-letters/${letterId}`)).json();
    const reply = await streetUnit.post(`/api/supervision-letters/${letterId}/reply`, { version: letter.version, text: '已整改完毕', fileIds: [] });
    expect(reply.statusCode, reply.body).toBe(200);
  });

  it('evidence: the new district and the street see the street’s items, the old district does not', async () => {
    expect((await oldDistrict.get(`/api/evidence/items/${evidenceId}`)).statusCode).not.toBe(200);
    expect((await newDistrict.get(`/api/evidence/items/${evidenceId}`)).statusCode).toBe(200);
    expect((await streetAdmin.get(`/api/evidence/items/${evidenceId}`)).statusCode).toBe(200);
    expect(ids(await newDistrict.get(`/api/evidence/items?pageSize=200&rootUnitId=${street.id}`))).toContain(evidenceId);
  });

  it('tasks: the new district and the street see the street’s task units', async () => {
    const newView = await newDistrict.get(`/api/tasks?pageSize=200&unitId=${street.id}`);
    expect(newView.statusCode, newView.body).toBe(200);
    expect(ids(newView)).toContain(taskId);
    expect(ids(await streetAdmin.get('/api/tasks?pageSize=200&mine=false'))).toContain(taskId);
  });
});
