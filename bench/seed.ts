/**
 * Builds the benchmark data set with COPY (ENGINEERING.md §6):
 *   npm run bench:seed -- --scale small|city|megacity [--database-url postgres://…] [--reset]
 *   npm run bench:seed -- --scale small --pglite ./data/bench-pglite      (PGlite: small only)
 * Default target: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/chuangwen_bench
 * (created when missing). Idempotent: a seeded database is left alone; --reset drops and recreates it.
 */
import { rmSync } from 'node:fs';
import pg from 'pg';
import { searchTextOf } from '../domain/pinyin.ts';
import { type Database, openDatabase } from '../server/db/client.ts';
import { Crypto } from '../server/lib/crypto.ts';
import { newId } from '../server/lib/ids.ts';
import { hashPassword } from '../server/modules/auth/index.ts';
import { seedBase } from '../server/seed/demo.ts';
import { copyRows, type RowObject } from './lib/copy.ts';
import { seedIndicators } from './lib/indicators-seed.ts';
import { ISSUES_PER_SCALE, seedIssues } from './lib/issues-seed.ts';
import {
  DEPARTMENT_NAMES,
  DISTRICT_NAMES,
  ROAD_SUFFIXES,
  UNIT_KINDS,
  WORDS,
  communityName,
  nth,
  parseScale,
  pick,
  pointName,
  prng,
  type Scale,
  streetName,
  treeCounts,
} from './lib/gen.ts';
import { BENCH_PASSWORD, BENCH_SECRET_KEY, argOf, maintenanceUrl, resolveTarget, safeUrl, stringArg, type Target } from './lib/target.ts';

const CITY_NAME = '基准市';
const CITY_CODE = '980100';
const CENTER: [number, number] = [114.0579, 22.5431];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '文博', '子涵', '欣怡', '浩然', '雨轩'];

/** search_text for a name, computed once per distinct name (pinyin is the slow part). */
const searchCache = new Map<string, string>();
function searchText(name: string): string {
  let s = searchCache.get(name);
  if (s === undefined) {
    s = searchTextOf(name);
    searchCache.set(name, s);
  }
  return s;
}

type Unit = { id: string; path: string; depth: number; name: string; kind: string };

/** Data of the modules built on the org tree, seeded after it, and into an older bench database when its table is empty. */
const ADD_ONS: { table: string; seed: (database: Database, scale: Scale['name'], lap: (label: string) => void) => Promise<Record<string, number>> }[] = [
  { table: 'issues', seed: (database, scale, lap) => seedIssues(database, ISSUES_PER_SCALE[scale], lap) },
  { table: 'tasks', seed: (database, scale, lap) => seedIndicators(database, scale, lap) },
];

async function prepareTarget(target: Target, reset: boolean, scale: Scale): Promise<Database> {
  if (target.kind === 'pglite') {
    if (scale.name !== 'small') throw new Error('PGlite is too slow for this scale: use PostgreSQL (--database-url) for city and megacity');
    if (reset) rmSync(target.dataDir, { recursive: true, force: true });
    return openDatabase({ kind: 'pglite', dataDir: target.dataDir });
  }
  const { adminUrl, dbName } = maintenanceUrl(target.url);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    if (reset) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${dbName}`);
  } finally {
    await admin.end();
  }
  return openDatabase({ kind: 'postgres', url: target.url, poolSize: 4 });
}

async function main() {
  const argv = process.argv.slice(2);
  const scale = parseScale(stringArg(argv, 'scale'));
  const reset = argOf(argv, 'reset') === true;
  const target = resolveTarget(argv);
  const t0 = performance.now();
  const lap = (label: string) => console.log(`  ${label.padEnd(34)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`bench:seed scale=${scale.name} target=${target.kind === 'postgres' ? safeUrl(target.url) : `pglite:${target.dataDir}`}${reset ? ' (reset)' : ''}`);

  const database = await prepareTarget(target, reset, scale);
  try {
    await database.migrate();
    await seedBase(database.db);
    const existing = await database.query<{ value: { scale: string } }>(`SELECT value FROM settings WHERE key = 'bench'`);
    const { rows: nUnits } = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM org_units');
    if (existing.rows.length) {
      // a database seeded before a module existed gets that module's data now
      let added = false;
      for (const addOn of ADD_ONS) {
        const { rows: present } = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${addOn.table} LIMIT 1) x`);
        if (present[0].n > 0) continue;
        const got = await addOn.seed(database, scale.name, lap);
        await database.query(database.kind === 'postgres' ? 'VACUUM (ANALYZE)' : 'ANALYZE');
        await database.query(`UPDATE settings SET value = jsonb_set(value, '{counts}', value->'counts' || $1::jsonb) WHERE key = 'bench'`, [JSON.stringify(got)]);
        console.log(`added ${addOn.table}: ${JSON.stringify(got)}`);
        added = true;
      }
      if (!added) console.log(`already seeded (scale ${existing.rows[0].value.scale}); nothing to do. Use --reset to rebuild.`);
      return;
    }
    if (nUnits[0].n > 0) throw new Error('the target database holds other data (org_units is not empty): use --reset or another database');
    lap('migrated, roles and point types');
    const counts = await seed(database, scale, lap);
    // as autovacuum would leave a live database: statistics, and the visibility map that lets
    // index-only scans (the metrics' covering indexes) skip the heap
    await database.query(database.kind === 'postgres' ? 'VACUUM (ANALYZE)' : 'ANALYZE');
    lap('VACUUM (ANALYZE)');
    await database.query(`INSERT INTO settings (key, value) VALUES ('bench', $1::jsonb)`, [
      JSON.stringify({ scale: scale.name, seededAt: new Date().toISOString(), counts }),
    ]);
    const elapsed = (performance.now() - t0) / 1000;
    console.log(`seeded ${scale.name} in ${elapsed.toFixed(1)} s:`);
    for (const [k, v] of Object.entries(counts)) console.log(`  ${k.padEnd(14)} ${v.toLocaleString('en-US')}`);
    console.log(`all users' password: ${BENCH_PASSWORD}; district admin for the bench: bench_qu01`);
  } finally {
    await database.close();
  }
}

async function seed(database: Database, scale: Scale, lap: (label: string) => void): Promise<Record<string, number>> {
  const rand = prng(20261121);
  const tc = treeCounts(scale);
  const crypto = new Crypto(Buffer.from(BENCH_SECRET_KEY, 'base64'));
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  lap('argon2 hash (once)');

  // ---- org tree ----------------------------------------------------------------------------
  const unitRows: RowObject[] = [];
  const addUnit = (parent: Unit | null, name: string, kind: string, extra: { subKind?: string; code?: string; population?: number } = {}): Unit => {
    const id = newId();
    const u: Unit = { id, path: parent ? `${parent.path}${id}/` : `/${id}/`, depth: parent ? parent.depth + 1 : 0, name, kind };
    unitRows.push({
      id,
      parent_id: parent?.id ?? null,
      path: u.path,
      depth: u.depth,
      name,
      kind,
      sub_kind: extra.subKind ?? null,
      division_code: extra.code ?? null,
      address: parent ? `${CITY_NAME}${name}` : null,
      population: extra.population ?? null,
      search_text: searchText(name),
      sort: unitRows.length,
    });
    return u;
  };
  const city = addUnit(null, CITY_NAME, 'city', { code: CITY_CODE, population: 17_000_000 });
  const cityDepts: Unit[] = [];
  for (let i = 0; i < scale.cityDepartments; i++) cityDepts.push(addUnit(city, `市${nth(DEPARTMENT_NAMES, i)}`, 'department', { subKind: 'agency' }));
  const districts: Unit[] = [];
  const districtDepts: Unit[][] = [];
  const streets: { unit: Unit; district: number; index: number }[] = [];
  const communities: { unit: Unit; district: number; street: Unit; center: [number, number] }[] = [];
  const lattice = Math.ceil(Math.sqrt(tc.communities));
  for (let d = 0; d < scale.districts; d++) {
    const dName = nth(DISTRICT_NAMES, d);
    const dCode = `9801${String(d + 2).padStart(2, '0')}`;
    const district = addUnit(city, dName, 'district', { code: dCode, population: 600_000 + Math.floor(rand() * 900_000) });
    districts.push(district);
    const depts: Unit[] = [];
    // 创文办 (index 0) is not repeated in districts: it is the district itself
    for (let i = 0; i < scale.districtDepartments; i++) depts.push(addUnit(district, `${dName}${nth(DEPARTMENT_NAMES.slice(1), i)}`, 'department', { subKind: 'agency' }));
    districtDepts.push(depts);
    for (let s = 0; s < scale.streetsPerDistrict; s++) {
      const si = d * scale.streetsPerDistrict + s;
      const street = addUnit(district, streetName(si), 'street', { code: `${dCode}${String(s + 1).padStart(3, '0')}`, population: 60_000 + Math.floor(rand() * 60_000) });
      streets.push({ unit: street, district: d, index: s });
      for (let c = 0; c < scale.communitiesPerStreet; c++) {
        const ci = communities.length;
        const unit = addUnit(street, communityName(si, c), 'community', {
          code: `${dCode}${String(s + 1).padStart(3, '0')}${String(c + 1).padStart(3, '0')}`,
          population: 5_000 + Math.floor(rand() * 10_000),
        });
        // communities on a lattice about 1.2 km apart around the centre
        const center: [number, number] = [CENTER[0] + ((ci % lattice) - lattice / 2) * 0.012, CENTER[1] + (Math.floor(ci / lattice) - lattice / 2) * 0.011];
        communities.push({ unit, district: d, street, center });
      }
    }
  }
  // leaf units: schools under education, hospitals under health, windows under the data bureau, enterprises under streets
  const parentsOf = (deptIndex: number): Unit[] => [cityDepts[deptIndex], ...districtDepts.map((ds) => ds[deptIndex - 1])].filter(Boolean);
  const leafParents: Unit[][] = [parentsOf(3), parentsOf(4), parentsOf(18), streets.map((s) => s.unit)];
  const leafUnits: Unit[] = [];
  for (let i = 0; i < tc.leafUnits; i++) {
    const k = i % UNIT_KINDS.length;
    const parents = leafParents[k].length ? leafParents[k] : [city];
    const parent = parents[Math.floor(i / UNIT_KINDS.length) % parents.length];
    const kind = UNIT_KINDS[k];
    const prefix = parent.kind === 'district' || parent.kind === 'street' ? parent.name.replace(/(区|街道)$/, '') : '';
    leafUnits.push(addUnit(parent, `${prefix}${nth(WORDS, Math.floor(i / 4))}${kind.suffixes[i % kind.suffixes.length]}`, 'unit', { subKind: kind.subKind }));
  }
  const nOrg = await copyRows(database, 'org_units', unitRows);
  lap(`org_units ${nOrg}`);

  // ---- grids ---------------------------------------------------------------------------------
  const gridRows: RowObject[] = [];
  const gridsOf = new Map<string, string[]>();
  communities.forEach((c) => {
    const ids: string[] = [];
    for (let g = 0; g < scale.gridsPerCommunity; g++) {
      const id = newId();
      ids.push(id);
      const w = 0.01 / scale.gridsPerCommunity;
      const x0 = c.center[0] - 0.005 + g * w;
      const [y0, y1] = [c.center[1] - 0.005, c.center[1] + 0.005];
      gridRows.push({
        id,
        community_id: c.unit.id,
        code: `WG${String(gridRows.length + 1).padStart(6, '0')}`,
        name: `${c.unit.name}第${g + 1}网格`,
        households: 250 + Math.floor(rand() * 300),
        polygon: { type: 'Polygon', coordinates: [[[x0, y0], [x0 + w, y0], [x0 + w, y1], [x0, y1], [x0, y0]]] },
      });
    }
    gridsOf.set(c.unit.id, ids);
  });
  const nGrids = await copyRows(database, 'grids', gridRows);
  lap(`grids ${nGrids}`);

  // ---- users ---------------------------------------------------------------------------------
  const userRows: RowObject[] = [];
  const roleRows: RowObject[] = [];
  const workerRows: RowObject[] = [];
  const addUser = (username: string, unitId: string, role: string): string | null => {
    if (userRows.length >= scale.users) return null;
    const id = newId();
    const seq = userRows.length + 1;
    const phone = `139${String(seq).padStart(8, '0')}`;
    userRows.push({
      id,
      username,
      name: `${SURNAMES[seq % SURNAMES.length]}${GIVEN[Math.floor(seq / SURNAMES.length) % GIVEN.length]}`,
      phone_enc: crypto.encrypt(phone),
      phone_hash: crypto.lookupHash(phone),
      unit_id: unitId,
      password_hash: passwordHash,
      must_change_password: false,
    });
    roleRows.push({ user_id: id, role_code: role });
    return id;
  };
  addUser('bench_admin', city.id, 'city_admin');
  for (const [i, d] of districts.entries()) addUser(`bench_qu${String(i + 1).padStart(2, '0')}`, d.id, 'district_admin');
  const inspectors = Math.max(1, Math.floor(scale.users / 100));
  for (let i = 0; i < inspectors; i++) addUser(`ducha${String(i + 1).padStart(5, '0')}`, cityDepts[0].id, 'inspector');
  let wg = 0;
  for (const c of communities) {
    for (const gridId of gridsOf.get(c.unit.id) ?? []) {
      const id = addUser(`wangge${String(++wg).padStart(6, '0')}`, c.unit.id, 'grid_worker');
      if (id) workerRows.push({ grid_id: gridId, user_id: id });
    }
  }
  const contactUnits = [...cityDepts, ...districtDepts.flat(), ...leafUnits, ...streets.map((s) => s.unit), ...communities.map((c) => c.unit)];
  for (const [i, u] of contactUnits.entries()) addUser(`lianluo${String(i + 1).padStart(6, '0')}`, u.id, 'unit_contact');
  for (let i = 0; userRows.length < scale.users && communities.length > 0; i++) addUser(`jiandu${String(i + 1).padStart(6, '0')}`, communities[i % communities.length].unit.id, 'supervisor');
  const nUsers = await copyRows(database, 'users', userRows);
  await copyRows(database, 'user_roles', roleRows);
  await copyRows(database, 'grid_workers', workerRows);
  lap(`users ${nUsers}`);

  // ---- points --------------------------------------------------------------------------------
  const { rows: types } = await database.query<{ id: string; name: string }>('SELECT id, name FROM point_types ORDER BY sort');
  const pointRows: RowObject[] = [];
  const pointUnitRows: RowObject[] = [];
  for (let i = 0; i < scale.points; i++) {
    const type = types[i % types.length];
    const c = communities[Math.floor(rand() * communities.length)];
    // roads, crossings and markets belong to a street; the rest to a community and one of its grids
    const streetLevel = ['主要交通路口', '主次干道', '商业大街', '城乡接合部', '集贸市场', '乡镇'].includes(type.name);
    const area = streetLevel ? c.street : c.unit;
    const grids = gridsOf.get(c.unit.id) ?? [];
    const name = pointName(rand, type.name);
    const id = newId();
    pointRows.push({
      id,
      code: `P${String(i + 1).padStart(7, '0')}`,
      type_id: type.id,
      name,
      address: `${CITY_NAME}${districts[c.district].name}${c.street.name}${pick(rand, WORDS)}${pick(rand, ROAD_SUFFIXES)}${1 + Math.floor(rand() * 300)}号`,
      lng: Number((c.center[0] + (rand() - 0.5) * 0.01).toFixed(6)),
      lat: Number((c.center[1] + (rand() - 0.5) * 0.01).toFixed(6)),
      area_unit_id: area.id,
      area_path: area.path,
      grid_id: streetLevel || grids.length === 0 ? null : grids[Math.floor(rand() * grids.length)],
      is_key: rand() < 0.05,
      // only when a migration adds it (copyRows drops optional columns the table lacks)
      search_text: searchText(name),
    });
    // responsible units: the area, a department of the district, sometimes a leaf unit
    const owners = new Set<string>([area.id]);
    const depts = districtDepts[c.district];
    if (depts.length) owners.add(depts[i % depts.length].id);
    else if (cityDepts.length) owners.add(cityDepts[i % cityDepts.length].id);
    if (leafUnits.length && rand() < 0.3) owners.add(leafUnits[Math.floor(rand() * leafUnits.length)].id);
    for (const unitId of owners) pointUnitRows.push({ point_id: id, unit_id: unitId });
  }
  const nPoints = await copyRows(database, 'points', pointRows, ['search_text']);
  const nPointUnits = await copyRows(database, 'point_units', pointUnitRows);
  lap(`points ${nPoints}, point_units ${nPointUnits}`);

  // ---- 包保: each community sponsored by a department of its district ---------------------------
  const sponsorRows: RowObject[] = communities.map((c, i) => {
    const depts = districtDepts[c.district].length ? districtDepts[c.district] : cityDepts;
    return { id: newId(), unit_id: depts[i % depts.length].id, target_type: 'community', target_id: c.unit.id, is_lead: true };
  });
  const nSponsors = await copyRows(database, 'sponsorships', sponsorRows);
  lap(`sponsorships ${nSponsors}`);

  // ---- the modules' data, generated inside the database --------------------------------------------
  const moduleCounts: Record<string, number> = {};
  for (const addOn of ADD_ONS) Object.assign(moduleCounts, await addOn.seed(database, scale.name, lap));

  return {
    ...moduleCounts,
    org_units: nOrg,
    districts: districts.length,
    streets: streets.length,
    communities: communities.length,
    departments: cityDepts.length + districtDepts.flat().length,
    leaf_units: leafUnits.length,
    grids: nGrids,
    users: nUsers,
    grid_workers: workerRows.length,
    points: nPoints,
    point_units: nPointUnits,
    sponsorships: nSponsors,
  };
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
