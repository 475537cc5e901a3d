/**
 * Public answering throughput on PostgreSQL, quotas and the device and network layers on, against
 * bare inserts of the same rows (issue #11). Standalone: `BENCH_DATABASE_URL=postgres://… npx tsx bench/surveys-answer.ts`.
 * Creates (and drops) its own database; one process runs the server, autocannon loads it over loopback.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { QuestionnaireModel } from '../contracts/surveys.ts';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { Crypto } from '../server/lib/crypto.ts';
import { newId } from '../server/lib/ids.ts';
import { LocalStorage } from '../server/lib/storage.ts';
import { surveyQuestionnaires, surveyRounds, surveyStrata, surveyVersions } from '../server/modules/surveys/surveys.tables.ts';

const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const name = `cw_bench_surveys_${process.pid}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 20 });
try {
  await database.migrate();
  const model = QuestionnaireModel.parse({
    title: '压测问卷',
    sections: [
      {
        id: 'A',
        questions: [
          { id: 'Q1', type: 'single', title: '知道吗', options: [{ value: 'k', label: '知道', code: 'KNOW' }, { value: 'n', label: '不知道', code: 'DONT_KNOW' }] },
          { id: 'Q2', type: 'scale', title: '满意吗', options: [{ value: 's5', label: '满意', code: 'SATISFIED' }, { value: 's1', label: '不满意', code: 'DISSATISFIED' }] },
        ],
      },
    ],
    rates: [{ id: 'aware', name: '知晓率', items: [{ question: 'Q1' }], numerator: ['KNOW'] }],
  });
  const qid = newId();
  const vid = newId();
  const rid = newId();
  const sid = newId();
  const db = database.db;
  await db.insert(surveyQuestionnaires).values({ id: qid, name: '压测' });
  await db.insert(surveyVersions).values({ id: vid, questionnaireId: qid, number: 1, status: 'published', model });
  await db.insert(surveyRounds).values({
    id: rid,
    questionnaireId: qid,
    versionId: vid,
    name: '压测轮次',
    slug: 'benchxx',
    status: 'open',
    startsAt: new Date(Date.now() - 3600_000),
    endsAt: new Date(Date.now() + 3600_000),
    modes: ['public'],
    layers: { token: false, phone: false, idNumber: false, device: true, networkFlagAbove: 1_000_000 },
  });
  await db.insert(surveyStrata).values({ id: sid, roundId: rid, label: '全市', quota: 10_000_000 });

  const config = { ...loadConfig({ CHUANGWEN_DATA_DIR: '/tmp/cw-bench-surveys', CHUANGWEN_SECRET_KEY: randomBytes(32).toString('base64'), NODE_ENV: 'production' }), surveySubmitPerMinute: 100_000_000, trustProxy: 1 };
  const app = await buildApp({ config, database, db, crypto: new Crypto(randomBytes(32)), storage: new LocalStorage('/tmp/cw-bench-surveys/files'), isDemo: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  let n = 0;
  const body = () => JSON.stringify({ clientKey: `k${process.pid}x${++n}xxxxxxxx`, deviceToken: `d${process.pid}x${n}${'x'.repeat(20)}`, answers: { Q1: n % 3 ? 'k' : 'n', Q2: 's5' }, demographics: {} });
  const ours = await autocannon({
    url: `http://127.0.0.1:${port}/api/public/surveys/benchxx/responses`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json' },
    // phones answer from many addresses: each request its own (X-Forwarded-For behind a trusted proxy),
    // so the per-address rate-limit and network counters are not one hot row as they would be from one client
    requests: [{ setupRequest: (req) => ({ ...req, body: body(), headers: { ...req.headers, 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` } }) }],
  });
  await app.close();
  const stored = (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM survey_responses`)).rows[0].n;
  const ok = ours['2xx'];

  // baseline: the same response rows inserted bare (no validation, no layers, no quota), same concurrency
  const pool = new pg.Pool({ connectionString: url.toString(), max: 20 });
  let bare = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        await pool.query(`INSERT INTO survey_responses (id, round_id, version_id, stratum_id, client_key, answers, mode) VALUES ($1, $2, $3, $4, $5, $6, 'public')`, [
          newId(),
          rid,
          vid,
          sid,
          `b${++bare}`,
          JSON.stringify({ Q1: 'k', Q2: 's5' }),
        ]);
      }
    }),
  );
  await pool.end();
  // a round of 1,000,000 responses: the results' one aggregate (rates overall and by stratum)
  const have = (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM survey_responses`)).rows[0].n;
  await database.query(
    `INSERT INTO survey_responses (id, round_id, version_id, stratum_id, client_key, answers, mode)
     SELECT gen_random_uuid(), $1, $2, $3, 'g' || i, jsonb_build_object('Q1', CASE WHEN i % 10 < 7 THEN 'k' ELSE 'n' END, 'Q2', CASE WHEN i % 5 = 0 THEN 's1' ELSE 's5' END), 'public'
     FROM generate_series(1, $4) AS i`,
    [rid, vid, sid, Math.max(0, 1_000_000 - have)],
  );
  await database.query('VACUUM ANALYZE survey_responses');
  const { itemCounts, responseSummary } = await import('../server/modules/surveys/surveys.repo.ts');
  const { rateResults } = await import('../domain/survey-rates.ts');
  const timings: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    const [counts] = await Promise.all([itemCounts(db, rid, ['Q1']), responseSummary(db, rid)]);
    rateResults(model, [{ id: sid, label: '全市', population: null }], counts);
    timings.push(Date.now() - t);
  }
  console.log(`results at 1,000,000 responses: ${timings.join(' / ')} ms`);
  const t0 = Date.now();
  const stored2 = (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM survey_responses`)).rows[0].n;
  console.log(
    JSON.stringify(
      {
        seconds: SECONDS,
        connections: CONNECTIONS,
        answersPerSecond: Math.round(ok / SECONDS),
        non2xx: ours.non2xx,
        latencyP50ms: ours.latency.p50,
        latencyP99ms: ours.latency.p99,
        storedByOurs: stored,
        bareInsertsPerSecond: Math.round(bare / SECONDS),
        ratio: Number((ok / bare).toFixed(3)),
        totalRows: stored2,
        countMs: Date.now() - t0,
      },
      null,
      2,
    ),
  );
} finally {
  await database.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
