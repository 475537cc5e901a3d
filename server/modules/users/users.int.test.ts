import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPassword } from '../../../domain/password.ts';
import { type Client, TEST_PASSWORD, type TestApp, startTestApp } from '../../test/harness.ts';

type User = {
  id: string;
  username: string;
  name: string;
  phoneMasked: string | null;
  unit: { id: string; name: string };
  roles: { code: string; name: string }[];
  isActive: boolean;
  isLocked: boolean;
  mustChangePassword: boolean;
  version: number;
};
type Role = { code: string; name: string; permissions: string[]; isSystem: boolean; userCount: number; canGrant: boolean; version: number };
type Detail = { path: string; message: string };

const CHINESE = /[\u4e00-\u9fa5]/;

describe('users and roles', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let unitId: (name: string) => Promise<string>;
  let userByName: (username: string) => Promise<User>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
    qu = await t.login('qu_admin');
    unitId = async (name) => (await admin.get(`/api/org/units?q=${encodeURIComponent(name)}`)).json().items[0].id;
    userByName = async (username) => {
      const items: User[] = (await admin.get(`/api/users?q=${encodeURIComponent(username)}&pageSize=50`)).json().items;
      return items.find((u) => u.username === username)!;
    };
  });
  afterAll(() => t.close());

  describe('reading', () => {
    it('lists users with masked phones, never the plain number', async () => {
      const res = await admin.get('/api/users?pageSize=100');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.total).toBeGreaterThanOrEqual(21);
      const wangge = body.items.find((u: User) => u.username === 'wangge');
      expect(wangge).toMatchObject({ name: '刘网格', phoneMasked: '138****0005', unit: { name: '朝阳社区' }, roles: [{ code: 'grid_worker' }] });
      expect(res.body).not.toContain('13800000005');
      expect(res.body).not.toMatch(/passwordHash|phoneEnc|phoneHash/);
    });

    it('filters by keyword, full phone number, unit subtree, role and status', async () => {
      const byName = (await admin.get('/api/users?q=wangge&pageSize=50')).json();
      expect(byName.total).toBe(16);
      const byPhone = (await admin.get('/api/users?q=13800000005')).json();
      expect(byPhone.items.map((u: User) => u.username)).toEqual(['wangge']);
      const byChinese = (await admin.get(`/api/users?q=${encodeURIComponent('督查')}`)).json();
      expect(byChinese.items.map((u: User) => u.username)).toEqual(['ducha']);
      const district = await unitId('文明区');
      const inDistrict = (await admin.get(`/api/users?unitId=${district}&pageSize=50`)).json();
      const names = inDistrict.items.map((u: User) => u.username);
      expect(names).toContain('qu_admin');
      expect(names).toContain('wangge');
      expect(names).not.toContain('wangge09');
      expect(names).not.toContain('admin');
      const grid = (await admin.get('/api/users?role=grid_worker&pageSize=50')).json();
      expect(grid.total).toBe(16);
      const inactive = (await admin.get('/api/users?isActive=false')).json();
      expect(inactive.items.every((u: User) => !u.isActive)).toBe(true);
    });

    it('scopes a district admin to users of their subtree', async () => {
      const list = (await qu.get('/api/users?pageSize=100')).json();
      const names = list.items.map((u: User) => u.username);
      expect(names).toEqual(expect.arrayContaining(['qu_admin', 'wangge', 'wangge08']));
      expect(names).not.toContain('wangge09');
      expect(names).not.toContain('admin');
      expect(names).not.toContain('ducha');
      const other = await userByName('wangge09');
      expect((await qu.get(`/api/users/${other.id}`)).statusCode).toBe(403);
      expect((await qu.patch(`/api/users/${other.id}`, { version: other.version, name: '越权修改' })).statusCode).toBe(403);
      expect((await qu.post(`/api/users/${other.id}/reset-password`)).statusCode).toBe(403);
      expect((await qu.post(`/api/users/${other.id}/disable`, { version: other.version })).statusCode).toBe(403);
      const hexie = await unitId('和平社区');
      const create = await qu.post('/api/users', { username: 'yuequan', name: '越权', unitId: hexie, roleCodes: ['grid_worker'] });
      expect(create.statusCode).toBe(403);
      expect(create.json().error.message).toMatch(CHINESE);
    });

    it('refuses users.read to roles without it', async () => {
      const wangge = await t.login('wangge');
      expect((await wangge.get('/api/users')).statusCode).toBe(403);
      expect((await wangge.get('/api/roles')).statusCode).toBe(403);
    });
  });

  describe('creating', () => {
    it('validates with Chinese messages named by field path', async () => {
      const res = await admin.post('/api/users', { username: '1', name: '', phone: '12345', unitId: 'x', roleCodes: [] });
      expect(res.statusCode).toBe(400);
      const details: Detail[] = res.json().error.details;
      expect(details.map((d) => d.path)).toEqual(expect.arrayContaining(['body.username', 'body.name', 'body.phone', 'body.unitId', 'body.roleCodes']));
      for (const d of details) expect(d.message).toMatch(CHINESE);
      expect(res.json().error.message).toMatch(CHINESE);

      const unit = await unitId('光明社区');
      const weak = await admin.post('/api/users', { username: 'weakpw', name: '弱密码', unitId: unit, roleCodes: ['grid_worker'], password: 'abcdefgh' });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error.details[0]).toMatchObject({ path: 'body.password', message: expect.stringMatching(CHINESE) });

      const unknownRole = await admin.post('/api/users', { username: 'norole', name: '无角色', unitId: unit, roleCodes: ['nope'] });
      expect(unknownRole.statusCode).toBe(400);
      expect(unknownRole.json().error.details[0]).toMatchObject({ path: 'body.roleCodes', message: '角色不存在：nope' });

      const dupName = await admin.post('/api/users', { username: 'WangGe', name: '重名', unitId: unit, roleCodes: ['grid_worker'] });
      expect(dupName.statusCode).toBe(409);
      expect(dupName.json().error.details[0]).toMatchObject({ path: 'body.username', message: '用户名已存在' });

      const dupPhone = await admin.post('/api/users', { username: 'dupphone', name: '重号', phone: '13800000005', unitId: unit, roleCodes: ['grid_worker'] });
      expect(dupPhone.statusCode).toBe(409);
      expect(dupPhone.json().error.details[0].path).toBe('body.phone');
    });

    it('creates with a given password, encrypting the phone', async () => {
      const unit = await unitId('光明社区');
      const res = await admin.post('/api/users', {
        username: 'Zhou.Ming',
        name: '周明',
        phone: '13712345678',
        unitId: unit,
        roleCodes: ['grid_worker'],
        password: 'Given-Pass-2026',
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.generatedPassword).toBeNull();
      expect(body.user).toMatchObject({ username: 'zhou.ming', phoneMasked: '137****5678', mustChangePassword: true, unit: { name: '光明社区' } });
      expect(res.body).not.toContain('13712345678');
      const { rows } = await t.deps.database.query<{ phone_enc: string; phone_hash: string }>('SELECT phone_enc, phone_hash FROM users WHERE id = $1', [
        body.user.id,
      ]);
      expect(rows[0].phone_enc).not.toContain('13712345678');
      expect(t.deps.crypto.decrypt(rows[0].phone_enc)).toBe('13712345678');
      expect(rows[0].phone_hash).toBe(t.deps.crypto.lookupHash('13712345678'));
      // the phone is a login name too
      await t.login('13712345678', 'Given-Pass-2026');
    });

    it('forces the password change: created user → 403 PASSWORD_CHANGE_REQUIRED → change → works', async () => {
      const unit = await unitId('朝阳社区');
      const res = await admin.post('/api/users', { username: 'xinren', name: '新人', unitId: unit, roleCodes: ['grid_worker'] });
      expect(res.statusCode).toBe(200);
      const password: string = res.json().generatedPassword;
      expect(checkPassword(password, 'xinren')).toBeNull();
      // shown once: reading the user again never returns it
      expect((await admin.get(`/api/users/${res.json().user.id}`)).body).not.toContain(password);

      const user = await t.login('xinren', password);
      const me = (await user.get('/api/auth/me')).json();
      expect(me.user.mustChangePassword).toBe(true);
      const blocked = await user.get('/api/org/units');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED', message: expect.stringMatching(CHINESE) });
      expect((await user.post('/api/auth/password', { oldPassword: password, newPassword: 'Brand-New-Pass-2027' })).statusCode).toBe(200);
      expect((await user.get('/api/org/units')).statusCode).toBe(200);
      expect((await admin.get(`/api/users/${me.user.id}`)).json().mustChangePassword).toBe(false);
    });

    it('writes an audit row without secrets', async () => {
      const u = await userByName('zhou.ming');
      const audit = (await admin.get(`/api/audit?entity=user&entityId=${u.id}`)).json();
      const create = audit.items.find((e: { action: string }) => e.action === 'create');
      expect(create).toMatchObject({ actorName: expect.stringContaining('admin'), after: { username: 'zhou.ming', phone: '137****5678', roles: ['grid_worker'] } });
      expect(JSON.stringify(audit)).not.toMatch(/\$argon2|13712345678|passwordHash/);
    });
  });

  describe('no privilege escalation', () => {
    it('lets a district admin grant only roles within their own permissions', async () => {
      const unit = await unitId('建设社区');
      const roles: Role[] = (await qu.get('/api/roles')).json();
      const grantable = Object.fromEntries(roles.map((r) => [r.code, r.canGrant]));
      expect(grantable).toMatchObject({ city_admin: false, inspector: false, district_admin: true, grid_worker: true, supervisor: true });

      for (const role of ['inspector', 'city_admin']) {
        const res = await qu.post('/api/users', { username: `esc_${role}`, name: '越权', unitId: unit, roleCodes: ['grid_worker', role] });
        expect(res.statusCode).toBe(403);
        expect(res.json().error.message).toContain('不能授予超出您自身权限的角色');
      }
      const ok = await qu.post('/api/users', { username: 'jianshe01', name: '建设网格员', unitId: unit, roleCodes: ['grid_worker'] });
      expect(ok.statusCode).toBe(200);
      const u: User = ok.json().user;
      const up = await qu.patch(`/api/users/${u.id}`, { version: u.version, roleCodes: ['grid_worker', 'inspector'] });
      expect(up.statusCode).toBe(403);
      expect((await admin.get(`/api/users/${u.id}`)).json().roles.map((r: { code: string }) => r.code)).toEqual(['grid_worker']);
    });

    it('keeps a district admin away from users holding more than they do', async () => {
      const unit = await unitId('建设社区');
      const created = await admin.post('/api/users', { username: 'gaoji', name: '高级督查', unitId: unit, roleCodes: ['inspector'] });
      const u: User = created.json().user;
      expect((await qu.get(`/api/users/${u.id}`)).statusCode).toBe(200);
      const reset = await qu.post(`/api/users/${u.id}/reset-password`);
      expect(reset.statusCode).toBe(403);
      expect(reset.json().error.message).toContain('督查员');
      expect((await qu.patch(`/api/users/${u.id}`, { version: u.version, roleCodes: ['grid_worker'] })).statusCode).toBe(403);
    });

    it('refuses to disable or demote oneself', async () => {
      const me = await userByName('admin');
      const disable = await admin.post(`/api/users/${me.id}/disable`, { version: me.version });
      expect(disable.statusCode).toBe(422);
      expect(disable.json().error.message).toBe('不能停用自己的账号');
      const demote = await admin.patch(`/api/users/${me.id}`, { version: me.version, roleCodes: ['grid_worker'] });
      expect(demote.statusCode).toBe(422);
      expect(demote.json().error.details[0].path).toBe('body.roleCodes');
      const move = await admin.patch(`/api/users/${me.id}`, { version: me.version, unitId: await unitId('文明区') });
      expect(move.statusCode).toBe(422);
      expect((await admin.post(`/api/users/${me.id}/reset-password`)).statusCode).toBe(422);
      // editing one's own name is fine
      const rename = await admin.patch(`/api/users/${me.id}`, { version: me.version, name: '王建国', roleCodes: ['city_admin'] });
      expect(rename.statusCode).toBe(200);

      const quSelf = (await qu.get('/api/users?q=qu_admin')).json().items[0] as User;
      expect((await qu.patch(`/api/users/${quSelf.id}`, { version: quSelf.version, roleCodes: ['grid_worker'] })).statusCode).toBe(422);
    });
  });

  describe('editing', () => {
    it('updates name, phone, unit and roles with an audit row', async () => {
      const u = await userByName('wangge06');
      const res = await admin.patch(`/api/users/${u.id}`, {
        version: u.version,
        name: '孙网格员（改）',
        phone: '13911112222',
        unitId: await unitId('文明区'),
        roleCodes: ['grid_worker', 'supervisor'],
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: '孙网格员（改）', phoneMasked: '139****2222', unit: { name: '文明区' }, version: u.version + 1 });
      expect(res.json().roles.map((r: { code: string }) => r.code)).toEqual(['grid_worker', 'supervisor']);
      const audit = (await admin.get(`/api/audit?entity=user&entityId=${u.id}`)).json();
      expect(audit.items[0]).toMatchObject({
        action: 'update',
        before: { name: u.name, roles: ['grid_worker'], phone: '139****0006' },
        after: { name: '孙网格员（改）', roles: ['grid_worker', 'supervisor'], phone: '139****2222' },
      });
      const cleared = await admin.patch(`/api/users/${u.id}`, { version: u.version + 1, phone: null });
      expect(cleared.json().phoneMasked).toBeNull();
    });

    it('rejects a stale version with 409', async () => {
      const u = await userByName('wangge07');
      expect((await admin.patch(`/api/users/${u.id}`, { version: u.version, name: '第一次' })).statusCode).toBe(200);
      const stale = await admin.patch(`/api/users/${u.id}`, { version: u.version, name: '第二次' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({ code: 'STALE_VERSION', message: expect.stringMatching(CHINESE) });
      const staleDisable = await admin.post(`/api/users/${u.id}/disable`, { version: u.version });
      expect(staleDisable.statusCode).toBe(409);
    });
  });

  describe('passwords, locks and sessions', () => {
    it('resets a password: one temporary password, sessions ended, change required', async () => {
      const victim = await t.login('wangge03');
      expect((await victim.get('/api/auth/me')).statusCode).toBe(200);
      const u = await userByName('wangge03');
      const res = await qu.post(`/api/users/${u.id}/reset-password`);
      expect(res.statusCode).toBe(200);
      const temp: string = res.json().temporaryPassword;
      expect(checkPassword(temp, 'wangge03')).toBeNull();
      expect(res.json().user.mustChangePassword).toBe(true);
      expect((await victim.get('/api/auth/me')).statusCode).toBe(401);
      await expect(t.login('wangge03', TEST_PASSWORD)).rejects.toThrow(/401/);
      const again = await t.login('wangge03', temp);
      expect((await again.get('/api/org/units')).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
      const audit = (await admin.get(`/api/audit?entity=user&entityId=${u.id}`)).json();
      expect(audit.items[0]).toMatchObject({ action: 'reset_password', actorName: expect.stringContaining('qu_admin'), after: { sessionsEnded: 1 } });
      expect(JSON.stringify(audit)).not.toContain(temp);
    });

    it('disables (ending sessions) and enables', async () => {
      const victim = await t.login('wangge04');
      const u = await userByName('wangge04');
      const res = await qu.post(`/api/users/${u.id}/disable`, { version: u.version });
      expect(res.statusCode).toBe(200);
      expect(res.json().isActive).toBe(false);
      expect((await victim.get('/api/auth/me')).statusCode).toBe(401);
      const { rows } = await t.deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [u.id]);
      expect(rows[0].n).toBe(0);
      const login = await t.anonymous().post('/api/auth/login', { username: 'wangge04', password: TEST_PASSWORD });
      expect(login.json().error.code).toBe('ACCOUNT_DISABLED');
      expect((await qu.get('/api/users?isActive=false')).json().items.map((x: User) => x.username)).toContain('wangge04');
      const enabled = await qu.post(`/api/users/${u.id}/enable`, { version: res.json().version });
      expect(enabled.json().isActive).toBe(true);
      await t.login('wangge04');
      const actions = (await admin.get(`/api/audit?entity=user&entityId=${u.id}`)).json().items.map((e: { action: string }) => e.action);
      expect(actions.slice(0, 2)).toEqual(['activate', 'deactivate']);
    });

    it('unlocks an account locked by failed logins', async () => {
      const anon = t.anonymous();
      for (let i = 0; i < 5; i++) await anon.post('/api/auth/login', { username: 'wangge05', password: 'Wrong-Pass-1' });
      expect((await anon.post('/api/auth/login', { username: 'wangge05', password: TEST_PASSWORD })).statusCode).toBe(423);
      const u = await userByName('wangge05');
      expect(u.isLocked).toBe(true);
      const res = await qu.post(`/api/users/${u.id}/unlock`);
      expect(res.statusCode).toBe(200);
      expect(res.json().isLocked).toBe(false);
      await t.login('wangge05');
      const audit = (await admin.get(`/api/audit?entity=user&entityId=${u.id}`)).json();
      expect(audit.items.map((e: { action: string }) => e.action)).toContain('unlock');
    });
  });

  describe('roles', () => {
    it('lists roles with user counts within the scope', async () => {
      const all: Role[] = (await admin.get('/api/roles')).json();
      expect(all.map((r) => r.code)).toEqual(expect.arrayContaining(['city_admin', 'district_admin', 'unit_contact', 'inspector', 'grid_worker', 'supervisor']));
      const city = Object.fromEntries(all.map((r) => [r.code, r.userCount]));
      const district = Object.fromEntries(((await qu.get('/api/roles')).json() as Role[]).map((r) => [r.code, r.userCount]));
      expect(city.grid_worker).toBeGreaterThan(district.grid_worker);
      expect(district.city_admin).toBe(0);
      expect(all.every((r) => r.canGrant)).toBe(true);
    });

    it('is city-level roles.write only', async () => {
      expect((await qu.post('/api/roles', { code: 'qu_role', name: '区角色', permissions: ['org.read'] })).statusCode).toBe(403);
    });

    it('validates permission names in Chinese', async () => {
      const res = await admin.post('/api/roles', { code: 'X', name: '', permissions: ['org.read', 'rockets.launch'] });
      expect(res.statusCode).toBe(400);
      const details: Detail[] = res.json().error.details;
      expect(details).toEqual(
        expect.arrayContaining([
          { path: 'body.permissions.1', message: '未知权限：rockets.launch' },
          expect.objectContaining({ path: 'body.code' }),
          expect.objectContaining({ path: 'body.name' }),
        ]),
      );
    });

    it('creates, updates, refuses to delete while held, then deletes', async () => {
      const created = await admin.post('/api/roles', { code: 'media', name: '媒体曝光员', description: '上报曝光问题', permissions: ['files.upload', 'org.read'] });
      expect(created.statusCode).toBe(200);
      expect(created.json()).toMatchObject({ code: 'media', isSystem: false, userCount: 0, version: 1 });
      expect((await admin.post('/api/roles', { code: 'media', name: '重复', permissions: [] })).statusCode).toBe(409);

      const updated = await admin.patch('/api/roles/media', { version: 1, name: '媒体曝光台', permissions: ['files.upload'] });
      expect(updated.json()).toMatchObject({ name: '媒体曝光台', permissions: ['files.upload'], version: 2 });
      expect((await admin.patch('/api/roles/media', { version: 1, name: '过期' })).statusCode).toBe(409);

      const unit = await unitId('市委宣传部');
      const user = (await admin.post('/api/users', { username: 'jizhe', name: '记者', unitId: unit, roleCodes: ['media'] })).json().user as User;
      const blocked = await admin.delete('/api/roles/media');
      expect(blocked.statusCode).toBe(422);
      expect(blocked.json().error.message).toContain('仍有 1 个用户持有该角色');
      await admin.patch(`/api/users/${user.id}`, { version: user.version, roleCodes: ['supervisor'] });
      expect((await admin.delete('/api/roles/media')).statusCode).toBe(200);
      expect(((await admin.get('/api/roles')).json() as Role[]).map((r) => r.code)).not.toContain('media');
      const actions = (await admin.get('/api/audit?entity=role&entityId=media')).json().items.map((e: { action: string }) => e.action);
      expect(actions).toEqual(['delete', 'update', 'create']);
    });

    it('edits a system role but never deletes it, and never lowers the editor’s own role', async () => {
      const roles: Role[] = (await admin.get('/api/roles')).json();
      const sup = roles.find((r) => r.code === 'supervisor')!;
      const res = await admin.patch('/api/roles/supervisor', { version: sup.version, permissions: [...sup.permissions, 'org.read'] });
      expect(res.statusCode).toBe(200);
      expect(res.json().permissions).toContain('org.read');
      const del = await admin.delete('/api/roles/supervisor');
      expect(del.statusCode).toBe(422);
      expect(del.json().error.message).toContain('系统角色不能删除');
      const own = roles.find((r) => r.code === 'city_admin')!;
      const lower = await admin.patch('/api/roles/city_admin', { version: own.version, permissions: ['org.read'] });
      expect(lower.statusCode).toBe(422);
    });
  });
});
