import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuestionnaireDetail, QuestionnaireModelInput, Round, RoundResults } from '../../../contracts/surveys.ts';
import { countsFromResponses, rateResults } from '../../../domain/survey-rates.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { LoggingSmsSender, smsSender } from './sms.ts';

const MODEL: QuestionnaireModelInput = {
  title: '市民文明素质与创建知晓率调查',
  sections: [
    {
      id: 'A',
      title: '创建知晓',
      questions: [
        { id: 'Q1', type: 'single', title: '您知道本市正在创建全国文明城市吗？', options: [{ value: 'a', label: '知道', code: 'KNOW' }, { value: 'b', label: '不知道', code: 'DONT_KNOW' }, { value: 'c', label: '不清楚', code: 'UNCLEAR' }] },
        { id: 'Q2', type: 'single', title: '您支持创建工作吗？', showIf: { question: 'Q1', anyOf: ['a'] }, options: [{ value: 'a', label: '支持', code: 'SUPPORT' }, { value: 'b', label: '不支持', code: 'OPPOSE' }] },
        { id: 'Q3', type: 'scale', title: '您对社区环境满意吗？', options: [{ value: 's5', label: '满意', code: 'SATISFIED' }, { value: 's4', label: '比较满意', code: 'FAIRLY_SATISFIED' }, { value: 's3', label: '一般', code: 'NEUTRAL' }, { value: 's2', label: '不太满意', code: 'FAIRLY_DISSATISFIED' }, { value: 's1', label: '不满意', code: 'DISSATISFIED' }, { value: 'na', label: '不了解', code: 'NA' }] },
      ],
    },
  ],
  rates: [
    { id: 'aware', name: '知晓率', items: [{ question: 'Q1' }], numerator: ['KNOW'], excluded: ['UNCLEAR'], target: 0.85 },
    { id: 'satisfied', name: '满意率', items: [{ question: 'Q3' }], numerator: ['SATISFIED', 'FAIRLY_SATISFIED'], excluded: ['NA'] },
  ],
};

let seq = 0;
const key = () => `k${Date.now().toString(36)}${(++seq).toString(36)}xxxxxx`;
const device = () => `dev${(++seq).toString(36)}${'x'.repeat(20)}`;

describe('surveys: questionnaires, rounds, answering with quotas and anti-duplicate layers, results', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let wangge: Client;
  let districts: { id: string; name: string }[];

  const publicPost = (slug: string, body: object, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: `/api/public/surveys/${slug}/responses`, payload: body, remoteAddress: ip });

  beforeAll(async () => {
    t = await startTestApp({ surveySubmitPerMinute: 20 });
    [admin, qu, wangge] = await Promise.all([t.login('admin'), t.login('qu_admin'), t.login('wangge')]);
    const r = await t.deps.database.query<{ id: string; name: string }>(`SELECT id, name FROM org_units WHERE kind = 'district' ORDER BY sort LIMIT 2`);
    districts = r.rows;
  });
  afterAll(() => t.close());

  async function publishedQuestionnaire(model = MODEL) {
    const q = (await admin.post('/api/surveys/questionnaires', { name: `问卷${++seq}`, model })).json() as QuestionnaireDetail;
    const v = q.versions[0];
    const p = await admin.post(`/api/surveys/versions/${v.id}/publish`, { version: v.version });
    expect(p.statusCode, p.body).toBe(200);
    return { q, versionId: v.id };
  }

  async function openRound(versionId: string, extra: Record<string, unknown> = {}, quota: number | null = 3) {
    const res = await admin.post('/api/surveys/rounds', {
      versionId,
      name: `第${++seq}轮`,
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
      endsAt: new Date(Date.now() + 86400_000).toISOString(),
      modes: ['public', 'token', 'enumerator'],
      strata: districts.map((d, i) => ({ label: d.name, areaUnitId: d.id, quota, population: i === 0 ? 300_000 : 100_000 })),
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(200);
    const round = res.json() as Round;
    const opened = await admin.post(`/api/surveys/rounds/${round.id}/open`, { version: round.version });
    expect(opened.statusCode, opened.body).toBe(200);
    return opened.json() as Round;
  }

  it('versions: a draft saves with its version (stale → 409), publishing freezes it, a change makes a new version', async () => {
    const created = await admin.post('/api/surveys/questionnaires', { name: '知晓率问卷', model: MODEL });
    expect(created.statusCode, created.body).toBe(200);
    const v1 = (created.json() as QuestionnaireDetail).versions[0];
    const saved = await admin.request('PUT', `/api/surveys/versions/${v1.id}`, { model: { ...MODEL, title: '改过的标题' }, version: v1.version });
    expect(saved.statusCode, saved.body).toBe(200);
    const stale = await admin.request('PUT', `/api/surveys/versions/${v1.id}`, { model: MODEL, version: v1.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const published = await admin.post(`/api/surveys/versions/${v1.id}/publish`, { version: saved.json().version });
    expect(published.json().status).toBe('published');
    const frozen = await admin.request('PUT', `/api/surveys/versions/${v1.id}`, { model: MODEL, version: published.json().version });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json().error.message).toContain('已发布');
    const v2 = await admin.post(`/api/surveys/questionnaires/${v1.questionnaireId}/versions`);
    expect(v2.json()).toMatchObject({ number: 2, status: 'draft', model: { title: '改过的标题' } });
    // a model whose rate names a missing question is refused, naming the field
    const bad = await admin.post('/api/surveys/questionnaires', { name: 'x', model: { ...MODEL, rates: [{ id: 'r', name: '坏', items: [{ question: 'Q9' }], numerator: ['KNOW'] }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toEqual({ path: 'body.model.rates.0.items.0.question', message: '“坏”引用了不存在的题目 Q9' });
    // only the city office manages questionnaires
    expect((await qu.post('/api/surveys/questionnaires', { name: 'x', model: MODEL })).statusCode).toBe(403);
    const audit = await t.deps.database.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity IN ('survey_questionnaire','survey_version') ORDER BY id`);
    expect(audit.rows.map((r) => r.action).slice(0, 4)).toEqual(['create', 'update', 'publish', 'new_version']);
  });

  it('public answering: bad answers → 400 naming the question; device, token, quota refusals counted; nothing stored on refusal', async () => {
    const { versionId } = await publishedQuestionnaire();
    const round = await openRound(versionId);
    const pub = await t.app.inject({ method: 'GET', url: `/api/public/surveys/${round.slug}` });
    expect(pub.json()).toMatchObject({ open: true, needs: { device: true, token: false }, choices: { areas: districts.map((d) => ({ id: d.id, name: d.name })) } });

    const base = (answers: object, extra: object = {}) => ({ clientKey: key(), deviceToken: device(), answers, demographics: { areaUnitId: districts[0].id }, ...extra });
    const unknown = await publicPost(round.slug, base({ Q1: 'a', Q2: 'a', Q3: 's5', Q9: 'x' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0]).toEqual({ path: 'body.answers.Q9', message: '问卷中没有编号为 Q9 的题目' });
    const outside = await publicPost(round.slug, base({ Q1: 'a', Q2: 'a', Q3: 's9' }));
    expect(outside.json().error.details[0].path).toBe('body.answers.Q3');
    const missing = await publicPost(round.slug, base({ Q1: 'a', Q3: 's5' }));
    expect(missing.json().error.message).toBe('请回答第 Q2 题（您支持创建工作吗？）');
    // Q2 is not asked of those who do not know
    const dev = device();
    const first = base({ Q1: 'b', Q3: 's5' }, { deviceToken: dev });
    const ok = await publicPost(round.slug, first);
    expect(ok.statusCode, ok.body).toBe(200);
    // the same client key again: the same response, not a second one
    const again = await publicPost(round.slug, first);
    expect(again.json()).toMatchObject({ id: ok.json().id, duplicate: true });
    // the same device: refused
    const sameDevice = await publicPost(round.slug, base({ Q1: 'a', Q2: 'a', Q3: 's5' }, { deviceToken: dev }));
    expect(sameDevice.statusCode).toBe(409);
    expect(sameDevice.json().error.message).toBe('您已在本设备上填写过本问卷，感谢您的参与');

    // tokens: issued, used once; used again → refused; a foreign token → 404; a refused token stays unused
    const tokens = (await admin.post(`/api/surveys/rounds/${round.id}/tokens`, { count: 3 })).json() as { token: string; label: string }[];
    expect(tokens.map((x) => x.label)).toEqual(['户0001', '户0002', '户0003']);
    expect((await publicPost(round.slug, base({ Q1: 'a', Q2: 'a', Q3: 's4' }, { token: tokens[0].token }))).statusCode).toBe(200);
    const reused = await publicPost(round.slug, base({ Q1: 'a', Q2: 'a', Q3: 's4' }, { token: tokens[0].token }));
    expect(reused.json().error.message).toBe('该邀请码已使用过，每个邀请码只能填写一次');
    expect((await publicPost(round.slug, base({ Q1: 'a', Q2: 'a', Q3: 's4' }, { token: 'ZZZZZZZZZZ' }))).statusCode).toBe(404);
    // token 2 with a device that already answered: refused by the device layer, token 2 not consumed
    expect((await publicPost(round.slug, base({ Q1: 'a', Q2: 'a', Q3: 's4' }, { token: tokens[1].token, deviceToken: dev }))).statusCode).toBe(409);
    expect((await publicPost(round.slug, base({ Q1: 'a', Q2: 'b', Q3: 'na' }, { token: tokens[1].token }))).statusCode).toBe(200);
    // quota 3 for district 0 is now full: refused politely
    const full = await publicPost(round.slug, base({ Q1: 'c', Q3: 's1' }));
    expect(full.statusCode).toBe(422);
    expect(full.json().error.message).toBe(`“${districts[0].name}”的样本已满，感谢您的参与`);
    // a stratum outside the design
    const outsideDesign = await publicPost(round.slug, { ...base({ Q1: 'a', Q2: 'a', Q3: 's5' }), demographics: { areaUnitId: null } });
    expect(outsideDesign.json().error.details[0].path).toBe('body.demographics.areaUnitId');

    const results = (await admin.get(`/api/surveys/rounds/${round.id}/results`)).json() as RoundResults;
    expect(results.responses).toBe(3);
    expect(results.refused).toEqual({ device: 2, token: 2, quota: 1 });
    expect(results.activeLayers).toEqual(['device', 'network']);
    const r = await t.deps.database.query<{ filled: number }>(`SELECT filled FROM survey_strata WHERE round_id = $1 ORDER BY sort`, [round.id]);
    expect(r.rows.map((x) => x.filled)).toEqual([3, 0]);
    // nothing identifies the respondents in the responses; the device hashes live apart
    const cols = await t.deps.database.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'survey_responses'`);
    expect(cols.rows.map((c) => c.column_name)).not.toContain('device_hash');

    // a closed round refuses
    const now = (await admin.get(`/api/surveys/rounds/${round.id}`)).json() as Round;
    await admin.post(`/api/surveys/rounds/${round.id}/close`, { version: now.version });
    const closed = await publicPost(round.slug, { ...base({ Q1: 'a', Q2: 'a', Q3: 's5' }), demographics: { areaUnitId: districts[1].id } });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.message).toBe('本轮调查已结束，感谢您的关注');
  });

  it('phone layer: a one-time code through the SMS sender, one response per phone; bursts → 429', async () => {
    const sms = new LoggingSmsSender();
    smsSender.current = sms;
    const { versionId } = await publishedQuestionnaire();
    const round = await openRound(versionId, { layers: { phone: true, device: false, networkFlagAbove: 1 } }, null);
    const ask = await t.app.inject({ method: 'POST', url: `/api/public/surveys/${round.slug}/otp`, payload: { phone: '13912345678' } });
    expect(ask.statusCode, ask.body).toBe(200);
    const code = sms.lastCode('13912345678')!;
    const body = (otp: string, ip: string) => ({ clientKey: key(), phone: '13912345678', otp, answers: { Q1: 'a', Q2: 'a', Q3: 's5' }, demographics: { areaUnitId: districts[1].id }, _ip: ip });
    const wrong = await publicPost(round.slug, body(code === '000000' ? '111111' : '000000', '10.1.0.1'));
    expect(wrong.json().error.details[0].path).toBe('body.otp');
    expect((await publicPost(round.slug, body(code, '10.1.0.1'))).statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: `/api/public/surveys/${round.slug}/otp`, payload: { phone: '13912345678' } });
    const second = await publicPost(round.slug, body(sms.lastCode('13912345678')!, '10.1.0.1'));
    expect(second.json().error.message).toBe('该手机号已填写过本问卷，感谢您的参与');
    // the phone is stored only as a keyed hash
    const ids = await t.deps.database.query<{ hash: string }>(`SELECT hash FROM survey_identities WHERE round_id = $1`, [round.id]);
    expect(ids.rows).toHaveLength(1);
    expect(ids.rows[0].hash).not.toContain('13912345678');

    // bursts from one address: 20 a minute, then 429
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await publicPost(round.slug, { clientKey: key(), answers: {}, demographics: {} }, '10.9.9.9')).statusCode);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.slice(0, 19).every((s) => s !== 429)).toBe(true);
  });

  it('enumerator: tagged with surveyor, place and time; the same client key twice (offline resend) stores one', async () => {
    const { versionId } = await publishedQuestionnaire();
    const round = await openRound(versionId);
    const body = { clientKey: key(), answers: { Q1: 'a', Q2: 'a', Q3: 's4' }, demographics: { areaUnitId: districts[1].id }, collectedAt: '2026-11-20T03:00:00Z', place: '幸福里小区3栋', lng: 118.1, lat: 24.5, kind: 'household' };
    const first = await wangge.post(`/api/surveys/rounds/${round.id}/collect`, body);
    expect(first.statusCode, first.body).toBe(200);
    const resend = await wangge.post(`/api/surveys/rounds/${round.id}/collect`, body);
    expect(resend.json()).toMatchObject({ id: first.json().id, duplicate: true });
    const rows = await t.deps.database.query<{ mode: string; place: string; surveyor_id: string; collected_at: Date }>(`SELECT mode, place, surveyor_id, collected_at FROM survey_responses WHERE round_id = $1`, [round.id]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({ mode: 'enumerator_household', place: '幸福里小区3栋' });
    expect(new Date(rows.rows[0].collected_at).toISOString()).toBe('2026-11-20T03:00:00.000Z');
    // a 监督员 without the permission cannot collect
    const jiandu = await t.login('jiandu');
    expect((await jiandu.post(`/api/surveys/rounds/${round.id}/collect`, { ...body, clientKey: key() })).statusCode).toBe(403);
  });

  it('results: n, exclusions, Wilson interval, post-stratified figure; recomputed from the raw responses to the digit', async () => {
    const { versionId } = await publishedQuestionnaire();
    const round = await openRound(versionId, { overQuota: 'accept' }, 4);
    const plan: [number, object][] = [
      [0, { Q1: 'a', Q2: 'a', Q3: 's5' }],
      [0, { Q1: 'a', Q2: 'b', Q3: 's3' }],
      [0, { Q1: 'b', Q3: 'na' }],
      [0, { Q1: 'c', Q3: 's4' }],
      [0, { Q1: 'a', Q2: 'a', Q3: 's1' }], // over quota: accepted and marked
      [1, { Q1: 'b', Q3: 's2' }],
      [1, { Q1: 'a', Q2: 'a', Q3: 's5' }],
    ];
    for (const [i, [d, answers]] of plan.entries()) {
      const res = await publicPost(round.slug, { clientKey: key(), deviceToken: device(), answers, demographics: { areaUnitId: districts[d].id } }, `10.2.0.${i}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().overQuota).toBe(i === 4);
    }
    const res = (await qu.get(`/api/surveys/rounds/${round.id}/results`)).json() as RoundResults;
    expect(res.responses).toBe(7);
    expect(res.overQuota).toBe(1);
    const aware = res.rates.find((r) => r.id === 'aware')!;
    // KNOW 4 of 6 (one UNCLEAR excluded)
    expect(aware.overall).toMatchObject({ numerator: 4, denominator: 6, exclusions: { UNCLEAR: 1 } });
    expect(aware.overall.interval!.low).toBeLessThan(4 / 6);
    expect(aware.byStratum.map((s) => [s.figure.numerator, s.figure.denominator])).toEqual([
      [3, 4],
      [1, 2],
    ]);
    // weighted by population 300,000 : 100,000 → (3·0.75 + 0.5) / 4 = 0.6875
    expect(aware.weighted!.rate).toBeCloseTo(0.6875, 12);
    const sat = res.rates.find((r) => r.id === 'satisfied')!;
    expect(sat.overall).toMatchObject({ numerator: 3, denominator: 6, exclusions: { NA: 1 } });

    const raw = await t.deps.database.query<{ stratum_id: string; answers: Record<string, string> }>(`SELECT stratum_id, answers FROM survey_responses WHERE round_id = $1`, [round.id]);
    const strata = ((await admin.get(`/api/surveys/rounds/${round.id}`)).json() as Round).strata;
    const { QuestionnaireModel } = await import('../../../contracts/surveys.ts');
    const model = QuestionnaireModel.parse(MODEL);
    const again = rateResults(
      model,
      strata.map((s) => ({ id: s.id, label: s.label, population: s.population })),
      countsFromResponses(
        model,
        raw.rows.map((r) => ({ stratumId: r.stratum_id, answers: r.answers })),
      ),
    );
    expect(JSON.parse(JSON.stringify(again))).toEqual(res.rates);

    const xlsx = await admin.get(`/api/surveys/rounds/${round.id}/results.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const trend = await admin.get(`/api/surveys/questionnaires/${round.questionnaireId}/trend`);
    expect(trend.json().rates[0].points[0]).toMatchObject({ roundId: round.id, n: 6 });
  });

  it('quotas hold under 200 concurrent answers into a quota of 100', async () => {
    const { versionId } = await publishedQuestionnaire();
    const round = await openRound(versionId, {}, 100);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        publicPost(round.slug, { clientKey: key(), deviceToken: device(), answers: { Q1: 'a', Q2: 'a', Q3: 's5' }, demographics: { areaUnitId: districts[0].id } }, `10.3.${i >> 8}.${i & 255}`),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(100);
    expect(codes.filter((c) => c === 422)).toHaveLength(100);
    const db = await t.deps.database.query<{ filled: number; n: number }>(
      `SELECT s.filled, (SELECT count(*)::int FROM survey_responses r WHERE r.stratum_id = s.id) AS n FROM survey_strata s WHERE s.round_id = $1 ORDER BY sort LIMIT 1`,
      [round.id],
    );
    expect(db.rows[0]).toEqual({ filled: 100, n: 100 });
    const res = (await admin.get(`/api/surveys/rounds/${round.id}/results`)).json() as RoundResults;
    expect(res.refused.quota).toBe(100);
  });
});
