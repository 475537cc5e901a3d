import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { SYSTEM_ROLES } from '../../contracts/permissions.ts';
import { childPath } from '../../domain/org.ts';
import { searchTextOf } from '../../domain/pinyin.ts';
import { type Db, type Executor, rowsOf } from '../db/client.ts';
import type { Crypto } from '../lib/crypto.ts';
import { newId } from '../lib/ids.ts';
import { audit } from '../modules/audit/index.ts';
import { seedDemoEvidence } from '../modules/indicators/evidence/evidence.demo.ts';
import { seedIndicatorsDemo } from '../modules/indicators/indicators.demo.ts';
import { seedInspectionsDemo } from '../modules/inspections/index.ts';
import { assignCategoryUnits, seedIssueCategories } from '../modules/issues/issues.seed.ts';
import { seedHolidays } from '../modules/issues/holidays.seed.ts';
import { seedDemoIssues } from '../modules/issues/issues.demo.ts';
import { seedDemoLetter } from '../modules/issues/supervision.demo.ts';
import { seedSurveysDemo } from '../modules/surveys/surveys.demo.ts';
import { hashPassword } from '../modules/auth/index.ts';
import {
  gridWorkers,
  grids,
  orgUnits,
  pointTypes,
  pointUnits,
  points,
  sponsorships,
  zones,
} from '../modules/org/org.tables.ts';
import { settings } from '../modules/system/system.tables.ts';
import { roles, userRoles, users } from '../modules/users/users.tables.ts';
import { seedVolunteersDemo, seedVolunteerTags } from '../modules/volunteers/volunteers.demo.ts';
import { CITY, COMMUNITY_SPONSORS, DEMO_USERS, DISTRICTS, POINT_NAMES, ROAD_NAMES, TYPE_UNITS, UNITS, ZONES } from './demo-data.ts';
import { POINT_TYPES } from './point-types.ts';

/** Roles, point types and issue categories exist on every installation; idempotent, runs at every start. */
export async function seedBase(db: Executor): Promise<void> {
  for (const r of SYSTEM_ROLES) {
    await db
      .insert(roles)
      .values({ code: r.code, name: r.name, description: r.description, permissions: r.permissions, isSystem: true })
      .onConflictDoNothing();
    // Upgrades: a system role gains the permissions a new release gives it. Append-only union:
    // nothing is taken away, so a permission an admin removed from a system role comes back while
    // the code still lists it (custom roles are never touched).
    const wanted = sql`ARRAY[${sql.join(
      r.permissions.map((p) => sql`${p}`),
      sql`, `,
    )}]::text[]`;
    await db.execute(sql`UPDATE roles SET permissions = permissions || ARRAY(SELECT unnest(${wanted}) EXCEPT SELECT unnest(permissions)), version = version + 1
      WHERE code = ${r.code} AND is_system AND NOT (permissions @> ${wanted})`);
  }
  await seedIssueCategories(db);
  await seedHolidays(db);
  await seedVolunteerTags(db);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(pointTypes);
  if (n === 0) {
    await db.insert(pointTypes).values(POINT_TYPES.map((name, i) => ({ id: newId(), code: `PT${String(i + 1).padStart(2, '0')}`, name, sort: i + 1 })));
  }
}

export async function isDatabaseEmpty(db: Executor): Promise<boolean> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(orgUnits);
  return n === 0;
}

export async function isDemoSeeded(db: Executor): Promise<boolean> {
  const r = await db.execute(sql`SELECT 1 FROM settings WHERE key = 'demo'`);
  return rowsOf(r).length > 0;
}

/** A password that meets the rules: 'Cw-' + 12 random characters + a digit. */
export function generatePassword(): string {
  return `Cw-${randomBytes(9).toString('base64url')}${Math.floor(Math.random() * 10)}`;
}

/**
 * A fresh non-demo installation: a root unit and one `admin` who must change the generated
 * password at first login.
 */
export async function bootstrapAdmin(db: Db, cityName: string): Promise<{ username: string; password: string }> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const rootId = newId();
    await tx.insert(orgUnits).values({ id: rootId, path: `/${rootId}/`, depth: 0, name: cityName, kind: 'city', searchText: searchTextOf(cityName) });
    const userId = newId();
    await tx.insert(users).values({ id: userId, username: 'admin', name: '系统管理员', unitId: rootId, passwordHash, mustChangePassword: true });
    await tx.insert(userRoles).values({ userId, roleCode: 'city_admin' });
    await audit(tx, null, { action: 'bootstrap', entity: 'user', entityId: userId, after: { username: 'admin', unit: cityName } });
  });
  return { username: 'admin', password };
}

/** Deterministic pseudo-random numbers so that every demo city is the same city. */
function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** Seeds 「示范市」 into an empty database (PRODUCT.md §3.1, issue #2). */
export async function seedDemo(db: Db, crypto: Crypto, password: string): Promise<{ units: number; points: number; users: number }> {
  const passwordHash = await hashPassword(password);
  const rand = seeded(20261121);
  return db.transaction(async (tx) => {
    const ids = new Map<string, { id: string; path: string; depth: number; name: string }>();
    const unitRows: (typeof orgUnits.$inferInsert)[] = [];
    const addUnit = (key: string, parentKey: string | null, u: { name: string; kind: string; subKind?: string; code?: string; population?: number }) => {
      const id = newId();
      const parent = parentKey ? ids.get(parentKey) : undefined;
      const path = parent ? childPath(parent.path, id) : `/${id}/`;
      const depth = parent ? parent.depth + 1 : 0;
      ids.set(key, { id, path, depth, name: u.name });
      unitRows.push({
        id,
        parentId: parent?.id ?? null,
        path,
        depth,
        name: u.name,
        kind: u.kind,
        subKind: u.subKind ?? null,
        divisionCode: u.code ?? null,
        population: u.population ?? null,
        sort: unitRows.length,
        searchText: searchTextOf(u.name),
        address: parent ? `${CITY.name}${u.name}` : null,
      });
    };
    addUnit('city', null, { name: CITY.name, kind: 'city', code: CITY.code, population: 1_260_000 });
    const communities: { key: string; name: string; district: string; street: string; center: [number, number] }[] = [];
    DISTRICTS.forEach((d, di) => {
      addUnit(d.key, 'city', { name: d.name, kind: 'district', code: d.code, population: 520_000 + di * 90_000 });
      d.streets.forEach((s, si) => {
        addUnit(s.key, d.key, { name: s.name, kind: 'street', code: s.code, population: 86_000 + si * 7_000 });
        s.communities.forEach(([ck, cn], ci) => {
          addUnit(ck, s.key, { name: cn, kind: 'community', code: `${s.code}${String(ci + 1).padStart(3, '0')}`, population: 9_000 + ci * 1_500 });
          // communities on a 4 × 2 lattice around the centre, about 1.6 km apart
          const idx = communities.length;
          const center: [number, number] = [CITY.center[0] - 0.027 + (idx % 4) * 0.018, CITY.center[1] - 0.008 + Math.floor(idx / 4) * 0.016];
          communities.push({ key: ck, name: cn, district: d.name, street: s.name, center });
        });
      });
    });
    for (const u of UNITS) addUnit(u.key, u.parent, { name: u.name, kind: u.kind, subKind: u.subKind });
    await tx.insert(orgUnits).values(unitRows);

    // users
    const userIds = new Map<string, string>();
    const userRows: (typeof users.$inferInsert)[] = [];
    const roleRows: (typeof userRoles.$inferInsert)[] = [];
    const addUser = (username: string, name: string, unitKey: string, role: string, phone: string) => {
      const id = newId();
      userIds.set(username, id);
      userRows.push({
        id,
        username,
        name,
        unitId: ids.get(unitKey)!.id,
        passwordHash,
        mustChangePassword: false,
        phoneEnc: crypto.encrypt(phone),
        phoneHash: crypto.lookupHash(phone),
      });
      roleRows.push({ userId: id, roleCode: role });
    };
    for (const u of DEMO_USERS) addUser(u.username, u.name, u.unit, u.role, u.phone);

    // grids: two per community, each half of a 1.2 km square, one 网格员 each
    const gridRows: (typeof grids.$inferInsert)[] = [];
    const workerRows: (typeof gridWorkers.$inferInsert)[] = [];
    const gridsByCommunity = new Map<string, { id: string; west: boolean }[]>();
    const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭';
    communities.forEach((c, ci) => {
      const [lng, lat] = c.center;
      for (const [gi, west] of [[1, true], [2, false]] as const) {
        const id = newId();
        const x0 = west ? lng - 0.007 : lng;
        const x1 = west ? lng : lng + 0.007;
        gridRows.push({
          id,
          communityId: ids.get(c.key)!.id,
          code: `WG${String(ci + 1).padStart(2, '0')}${gi}`,
          name: `${c.name}第${gi === 1 ? '一' : '二'}网格`,
          households: 300 + Math.floor(rand() * 250),
          polygon: { type: 'Polygon', coordinates: [[[x0, lat - 0.005], [x1, lat - 0.005], [x1, lat + 0.005], [x0, lat + 0.005], [x0, lat - 0.005]]] },
        });
        gridsByCommunity.set(c.key, [...(gridsByCommunity.get(c.key) ?? []), { id, west }]);
        const n = ci * 2 + gi;
        const username = n === 1 ? 'wangge' : `wangge${String(n).padStart(2, '0')}`;
        if (n !== 1) addUser(username, `${surnames[n - 1]}网格员`, c.key, 'grid_worker', `139000000${String(n).padStart(2, '0')}`);
        workerRows.push({ gridId: id, userId: userIds.get(username)! });
      }
    });
    await tx.insert(users).values(userRows);
    await tx.insert(userRoles).values(roleRows);
    await tx.insert(grids).values(gridRows);
    await tx.insert(gridWorkers).values(workerRows);

    // points: every type, placed in communities in turn
    const typeRows = await tx.select().from(pointTypes);
    const typeId = new Map(typeRows.map((t) => [t.name, t.id]));
    const pointRows: (typeof points.$inferInsert)[] = [];
    const pointUnitRows: (typeof pointUnits.$inferInsert)[] = [];
    let seq = 0;
    for (const [type, names] of Object.entries(POINT_NAMES)) {
      names.forEach((name, i) => {
        const c = communities[(seq * 3 + i) % communities.length];
        const street = DISTRICTS.flatMap((d) => d.streets).find((s) => s.communities.some(([k]) => k === c.key))!;
        const dx = (rand() - 0.5) * 0.012;
        const dy = (rand() - 0.5) * 0.009;
        const grid = gridsByCommunity.get(c.key)!.find((g) => g.west === dx < 0)!;
        const id = newId();
        seq++;
        pointRows.push({
          id,
          code: `DW${String(seq).padStart(4, '0')}`,
          typeId: typeId.get(type)!,
          name,
          address: `${CITY.name}${c.district}${c.street}${ROAD_NAMES[seq % ROAD_NAMES.length]}${10 + Math.floor(rand() * 280)}号`,
          lng: Number((c.center[0] + dx).toFixed(6)),
          lat: Number((c.center[1] + dy).toFixed(6)),
          areaUnitId: ids.get(c.key)!.id,
          areaPath: ids.get(c.key)!.path,
          gridId: grid.id,
          isKey: i === 0,
        });
        const unitKeys = new Set(TYPE_UNITS[type].map((k) => (k === 'community' ? c.key : k === 'street' ? street.key : k)));
        for (const k of unitKeys) pointUnitRows.push({ pointId: id, unitId: ids.get(k)!.id });
      });
    }
    await tx.insert(points).values(pointRows);
    await tx.insert(pointUnits).values(pointUnitRows);

    // 责任区 and 包保
    const sponsorRows: (typeof sponsorships.$inferInsert)[] = [];
    for (const z of ZONES) {
      const id = newId();
      await tx.insert(zones).values({ id, ownerUnitId: ids.get(z.owner)!.id, code: z.code, name: z.name, description: `${z.name}，由${z.units.map((k) => ids.get(k)!.name).join('、')}包保` });
      for (const k of z.units) sponsorRows.push({ id: newId(), unitId: ids.get(k)!.id, targetType: 'zone', targetId: id, isLead: k === z.lead });
    }
    for (const [unit, community] of COMMUNITY_SPONSORS) {
      sponsorRows.push({ id: newId(), unitId: ids.get(unit)!.id, targetType: 'community', targetId: ids.get(community)!.id, isLead: true });
    }
    sponsorRows.push({ id: newId(), unitId: ids.get('cgj')!.id, targetType: 'point', targetId: pointRows.find((p) => p.name === '人民广场')!.id!, isLead: true });
    await tx.insert(sponsorships).values(sponsorRows);

    await assignCategoryUnits(tx);
    await seedDemoIssues(tx, crypto);
    await seedDemoLetter(tx);
    await seedIndicatorsDemo(tx);
    await seedDemoEvidence(tx);
    await seedInspectionsDemo(tx, crypto);
    await seedVolunteersDemo(tx, crypto);
    await seedSurveysDemo(tx);
    await tx.insert(settings).values({ key: 'demo', value: { seededAt: new Date().toISOString(), city: CITY.name } });
    await audit(tx, null, { action: 'seed_demo', entity: 'org_unit', entityId: ids.get('city')!.id, after: { units: unitRows.length, points: pointRows.length, users: userRows.length } });
    return { units: unitRows.length, points: pointRows.length, users: userRows.length };
  });
}
