import { describe, expect, it } from 'vitest';
import { SYSTEM_ROLES } from '../../../contracts/permissions.ts';
import type { Actor } from '../../http/actor.ts';
import { canGrant, usersPolicy } from './users.policy.ts';

const role = (code: string) => SYSTEM_ROLES.find((r) => r.code === code)!;
const actor = (roleCode: string, unitPath: string): Actor => ({
  userId: 'u1',
  username: roleCode,
  name: roleCode,
  unitId: 'x',
  unitPath,
  roles: [roleCode],
  permissions: new Set(role(roleCode).permissions),
  gridIds: new Set(),
});

const city = actor('city_admin', '/c/');
const district = actor('district_admin', '/c/d1/');

describe('users policy', () => {
  it('grants only roles within the actor’s own permissions', () => {
    expect(SYSTEM_ROLES.every((r) => canGrant(city, r))).toBe(true);
    const grantable = SYSTEM_ROLES.filter((r) => canGrant(district, r)).map((r) => r.code);
    expect([...grantable].sort()).toEqual(['district_admin', 'grid_worker', 'supervisor', 'unit_contact', 'volunteer_admin']);
    expect(() => usersPolicy.grant(district, [role('inspector')])).toThrow(/督查员/);
  });

  it('manages users in the subtree holding nothing beyond the actor', () => {
    expect(() => usersPolicy.manage(district, { unitPath: '/c/d1/s1/', roles: [role('grid_worker')] })).not.toThrow();
    expect(() => usersPolicy.manage(district, { unitPath: '/c/d2/', roles: [role('grid_worker')] })).toThrow(/管辖范围/);
    expect(() => usersPolicy.manage(district, { unitPath: '/c/d1/', roles: [role('city_admin')] })).toThrow(/超出您权限/);
    expect(() => usersPolicy.manage(city, { unitPath: '/c/d2/', roles: [role('city_admin')] })).not.toThrow();
  });

  it('keeps roles city-level and never below what the editor relies on', () => {
    expect(() => usersPolicy.writeRoles(city)).not.toThrow();
    const districtWithRoles: Actor = { ...district, permissions: new Set([...district.permissions, 'roles.write']) };
    expect(() => usersPolicy.writeRoles(districtWithRoles)).toThrow(/市级/);
    expect(() => usersPolicy.setRolePermissions(district, null, ['scope.city.read'])).toThrow(/查看全市数据/);
    const own = role('city_admin');
    expect(() => usersPolicy.setRolePermissions(city, own, ['org.read'])).toThrow(/不能减少/);
    expect(() => usersPolicy.setRolePermissions(city, role('supervisor'), ['org.read'])).not.toThrow();
  });
});
