/**
 * A check-in burst (issue #10): N volunteers of one activity check in through the service (token
 * verification, sign-up row lock, window and radius, replay guard, attendance update, audit) as
 * fast as a pool of C concurrent callers allows, beside the baseline of bare single-row INSERTs of
 * the same count at the same concurrency through the same pool. Not part of `npm run bench` (which
 * needs the megacity seed this module does not have yet): run on its own against PostgreSQL:
 *   npx tsx bench/volunteers-checkin.ts [--n 10000] [--c 20] [--database-url postgres://postgres@127.0.0.1:5432/postgres]
 * It creates and drops a scratch database.
 */
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { checkinToken, tokenStep } from '../domain/volunteer-rules.ts';
import { openDatabase } from '../server/db/client.ts';
import { Crypto } from '../server/lib/crypto.ts';
import { newId } from '../server/lib/ids.ts';
import { seedBase } from '../server/seed/demo.ts';
import { checkIn, macOf } from '../server/modules/volunteers/activities.service.ts';
import { getVolunteer } from '../server/modules/volunteers/volunteers.repo.ts';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const N = Number(arg('n', '10000'));
const C = Number(arg('c', '20'));
const base = arg('database-url', process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

async function pool<T>(items: T[], concurrency: number, fn: (x: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function main() {
  const dbName = `cw_bench_vol_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  const database = await openDatabase({ kind: 'postgres', url: u.toString(), poolSize: C });
  try {
    await database.migrate();
    await seedBase(database.db);
    const crypto = new Crypto(Buffer.alloc(32, 7));
    const deps = { db: database.db, crypto };
    const city = newId();
    await database.db.execute(sql`INSERT INTO org_units (id, path, depth, name, kind, search_text) VALUES (${city}, ${`/${city}/`}, 0, '基准市', 'city', 'jzs')`);
    const team = newId();
    await database.db.execute(sql`INSERT INTO volunteer_teams (id, name, kind, unit_id, unit_path, search_text) VALUES (${team}, '基准队', '青年志愿服务队', ${city}, ${`/${city}/`}, 'jzd')`);
    const activity = newId();
    const now = new Date();
    await database.db.execute(sql`INSERT INTO volunteer_activities (id, team_id, unit_path, title, content, starts_at, ends_at, lng, lat, radius_m, capacity, signup_deadline)
      VALUES (${activity}, ${team}, ${`/${city}/`}, '基准活动', '基准', ${new Date(now.getTime() - 600_000)}, ${new Date(now.getTime() + 3_600_000)}, 113.6654, 34.7579, 300, ${N}, ${now})`);
    // N volunteers signed up (COPY-free bulk insert in one statement)
    await database.db.execute(sql`INSERT INTO volunteers (id, number, name, id_type, id_hash, id_enc, id_masked, gender, birth_date, phone_enc, phone_hash, phone_tail, community_id, community_path, consent_at, source, search_text)
      SELECT gen_random_uuid(), 'B' || g, '志愿者' || g, 'resident_id', 'h' || g, 'e', 'm', 'male', '1990-01-01', 'p', 'ph' || g, '0000', ${city}, ${`/${city}/`}, now(), 'import', 'zyz' FROM generate_series(1, ${N}) g`);
    await database.db.execute(sql`INSERT INTO volunteer_signups (activity_id, volunteer_id, state) SELECT ${activity}, id, 'signed' FROM volunteers`);
    const ids = (await database.query<{ id: string }>(`SELECT id FROM volunteers`)).rows.map((r) => r.id);
    const rows = await Promise.all(ids.map((id) => getVolunteer(database.db, id)));
    await database.query(`CREATE TABLE bare_checkins (activity_id uuid, volunteer_id uuid, step bigint, at timestamptz DEFAULT now(), PRIMARY KEY (activity_id, volunteer_id, step))`);

    const mac = macOf(deps);
    const t0 = performance.now();
    await pool(rows, C, async (v) => {
      const at = new Date();
      await checkIn(deps, v!, activity, { token: checkinToken(mac, activity, tokenStep(at)), lng: 113.6655, lat: 34.758 }, '127.0.0.1', at);
    });
    const ours = performance.now() - t0;
    const t1 = performance.now();
    await pool(ids, C, (id) => database.query(`INSERT INTO bare_checkins (activity_id, volunteer_id, step) VALUES ($1, $2, 1)`, [activity, id]));
    const bare = performance.now() - t1;
    const checked = (await database.query<{ n: number }>(`SELECT count(*)::int n FROM volunteer_signups WHERE checkin_at IS NOT NULL`)).rows[0].n;
    const perSecond = (N / ours) * 1000;
    const barePerSecond = (N / bare) * 1000;
    console.log(`volunteers.checkin.burst  ${perSecond.toFixed(0)} check-ins/s  (${N} in ${(ours / 1000).toFixed(2)} s, ${checked} recorded, concurrency ${C})`);
    console.log(`baseline bare INSERT      ${barePerSecond.toFixed(0)} rows/s       ratio ${(perSecond / barePerSecond).toFixed(2)}  target ≥ 1000/s ${perSecond >= 1000 ? 'PASS' : 'FAIL'}`);
  } finally {
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
