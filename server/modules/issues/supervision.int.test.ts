import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueAction, IssueDetail } from '../../../contracts/issues.ts';
import type { CandidateIssue, CandidateUnit, Letter, LetterDetail } from '../../../contracts/supervision.ts';
import { rowsOf } from '../../db/client.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { jpegWithExif } from '../files/files.fixtures.ts';

type Category = { id: string; name: string };
type Point = { id: string; gridId: string | null };

let photoNo = 0;
async function upload(c: Client, name: string): Promise<string> {
  const form = new FormData();
  // every photo different (documents store identical images once)
  form.append('file', new Blob([new Uint8Array(await jpegWithExif({}, 640 + ++photoNo * 8, 480))], { type: 'image/jpeg' }), name);
  const res = new Response(form);
  const payload = Buffer.from(await res.arrayBuffer());
  const out = await c.request('POST', '/api/files', payload, { 'content-type': res.headers.get('content-type')! });
  expect(out.statusCode, out.body).toBe(200);
  const body = out.json();
  return (Array.isArray(body) ? body[0] : (body.files?.[0] ?? body.items?.[0] ?? body)).id;
}

/** The text runs, table rows and images of a .docx. */
async function readDocx(buf: Buffer) {
  expect(buf.readUInt32LE(0)).toBe(0x04034b50);
  const zip = await JSZip.loadAsync(buf);
  const doc = await zip.file('word/document.xml')!.async('string');
  const header = await Promise.all(Object.keys(zip.files).filter((n) => /^word\/header\d*\.xml$/.test(n)).map((n) => zip.file(n)!.async('string')));
  const text = (s: string) => [...s.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
  const rows = [...doc.matchAll(/<w:tr>.*?<\/w:tr>/g)].map((r) => [...r[0].matchAll(/<w:tc>.*?<\/w:tc>/g)].map((c) => ({ text: text(c[0]), images: (c[0].match(/<pic:pic\b/g) ?? []).length })));
  const media = Object.keys(zip.files).filter((n) => n.startsWith('word/media/'));
  return { text: text(doc), headerText: header.map(text).join(''), rows, media };
}

describe('督办函: from overdue and repeat issues to a Word letter, the reply and 办结', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let danwei: Client;
  let ducha: Client;
  let wangge: Client;
  let cgj: string;
  let categories: Category[];
  let point: Point;
  const mine: Record<'overdue' | 'rework' | 'fresh' | 'overdue2', IssueDetail> = {} as never;

  const act = async (c: Client, issue: { id: string; version: number }, action: IssueAction, body: Record<string, unknown> = {}): Promise<IssueDetail> => {
    const res = await c.post(`/api/issues/${issue.id}/actions/${action}`, { version: issue.version, ...body });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json();
  };

  async function dispatched(title: string, withPhoto: boolean): Promise<IssueDetail> {
    const photos = withPhoto ? [await upload(wangge, `${title}.jpg`)] : [];
    const res = await wangge.post('/api/issues', { source: 'grid', categoryId: categories.find((c) => c.name === '暴露垃圾')!.id, title, description: `${title}，影响市容`, pointId: point.id, photos });
    expect(res.statusCode, res.body).toBe(200);
    let i = res.json() as IssueDetail;
    i = await act(admin, i, 'accept');
    return act(admin, i, 'dispatch', { unitId: cgj });
  }

  beforeAll(async () => {
    t = await startTestApp();
    [admin, qu, danwei, ducha, wangge] = await Promise.all(['admin', 'qu_admin', 'danwei', 'ducha', 'wangge'].map((u) => t.login(u)));
    cgj = (await admin.get(`/api/org/units?q=${encodeURIComponent('市城市管理局')}`)).json().items[0].id;
    categories = (await admin.get('/api/issue-categories')).json();
    point = ((await wangge.get('/api/org/points?pageSize=200')).json().items as Point[]).find((p) => p.gridId)!;

    mine.overdue = await dispatched('人行道堆放建筑垃圾', true);
    mine.overdue2 = await dispatched('绿化带内暴露垃圾', false);
    mine.fresh = await dispatched('果皮箱满溢', true);
    // 返工: feedback, then verification fails
    let r = await dispatched('背街小巷垃圾未清', true);
    r = await act(danwei, r, 'sign');
    r = await act(danwei, r, 'feedback', { note: '已清理', photos: [await upload(danwei, '整改后.jpg')] });
    mine.rework = await act(ducha, r, 'verifyFail', { note: '仍有垃圾残留' });
    expect(mine.rework.reworkCount).toBe(1);
    // time passes: two issues are now past their deadline (5 and 12 days)
    await t.deps.db.execute(sql`UPDATE issues SET deadline = now() - interval '5 days' + interval '1 hour' WHERE id = ${mine.overdue.id}`);
    await t.deps.db.execute(sql`UPDATE issues SET deadline = now() - interval '12 days' + interval '1 hour' WHERE id = ${mine.overdue2.id}`);
  });
  afterAll(() => t.close());

  const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const inDays = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);

  it('lists the units with overdue or repeat issues, and a unit’s candidates with the reasons', async () => {
    const units = (await admin.get('/api/supervision-letters/candidates')).json() as CandidateUnit[];
    const u = units.find((x) => x.unitId === cgj)!;
    expect(u.unitName).toBe('市城市管理局');
    expect(u.overdue).toBeGreaterThanOrEqual(2);
    expect(u.rework).toBeGreaterThanOrEqual(1);

    const issues = (await admin.get(`/api/supervision-letters/candidates/${cgj}`)).json() as CandidateIssue[];
    const byId = new Map(issues.map((i) => [i.id, i]));
    expect(byId.get(mine.overdue.id)).toMatchObject({ reasons: ['overdue'], daysOverdue: 5, number: mine.overdue.number });
    expect(byId.get(mine.overdue.id)!.thumbnailUrl).toMatch(/^\/api\/files\/.+\/thumbnail$/);
    expect(byId.get(mine.overdue2.id)).toMatchObject({ reasons: ['overdue'], daysOverdue: 12, thumbnailUrl: null });
    expect(byId.get(mine.rework.id)).toMatchObject({ reasons: ['rework'], reworkCount: 1, daysOverdue: 0 });
    expect(byId.has(mine.fresh.id)).toBe(false);

    // only the offices (issues.supervise) may look for candidates
    expect((await danwei.get('/api/supervision-letters/candidates')).statusCode).toBe(403);
    expect((await ducha.get(`/api/supervision-letters/candidates/${cgj}`)).statusCode).toBe(403);
  });

  let letter: LetterDetail;

  it('refuses bad letters with Chinese messages naming the field, and leaves nothing behind', async () => {
    const count = async () => Number(rowsOf<{ n: number }>(await t.deps.db.execute(sql`SELECT count(*) AS n FROM supervision_letters`))[0].n);
    const files = async () => Number(rowsOf<{ n: number }>(await t.deps.db.execute(sql`SELECT count(*) AS n FROM files WHERE owner_type = 'supervision_letter'`))[0].n);
    const before = [await count(), await files()];
    const notCandidate = await admin.post('/api/supervision-letters', { unitId: cgj, issueIds: [mine.overdue.id, mine.fresh.id], replyDeadline: inDays(7) });
    expect(notCandidate.statusCode).toBe(400);
    expect(notCandidate.json().error.message).toContain('不是该单位的超期或返工、回潮问题');
    const past = await admin.post('/api/supervision-letters', { unitId: cgj, issueIds: [mine.overdue.id], replyDeadline: '2020-01-01' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details).toEqual([{ path: 'body.replyDeadline', message: '回复期限不能早于今天' }]);
    const empty = await admin.post('/api/supervision-letters', { unitId: cgj, issueIds: [], replyDeadline: 'tomorrow' });
    expect(empty.statusCode).toBe(400);
    const paths = empty.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.issueIds', 'body.replyDeadline']));
    expect((await danwei.post('/api/supervision-letters', { unitId: cgj, issueIds: [mine.overdue.id], replyDeadline: inDays(7) })).statusCode).toBe(403);
    expect([await count(), await files()]).toEqual(before);
  });

  it('sends a letter numbered 创文督〔YYYY〕N号 and stores its Word document in the 信函格式 with the issue table and photos', async () => {
    const draft = (await admin.get(`/api/supervision-letters/draft?unitId=${cgj}&replyDeadline=${inDays(7)}&count=3`)).json();
    expect(draft).toMatchObject({ issuer: '示范市创建全国文明城市工作指挥部办公室', recipient: '市城市管理局' });
    expect(draft.body).toContain('3个问题');

    const res = await admin.post('/api/supervision-letters', { unitId: cgj, issueIds: [mine.overdue.id, mine.overdue2.id, mine.rework.id], replyDeadline: inDays(7) });
    expect(res.statusCode, res.body).toBe(200);
    letter = res.json();
    const year = Number(today().slice(0, 4));
    expect(letter.number).toMatch(new RegExp(`^创文督〔${year}〕[1-9]\\d*号$`));
    expect(letter).toMatchObject({ state: 'sent', unitName: '市城市管理局', itemCount: 3, replyOverdue: false, canReply: false, canReview: false, version: 1 });
    expect(letter.items.map((i) => i.number)).toEqual([mine.overdue.number, mine.overdue2.number, mine.rework.number]);
    expect(letter.items[1]).toMatchObject({ daysOverdue: 12, reworkCount: 0 });
    expect(letter.events.map((e) => [e.action, e.toState])).toEqual([['send', 'sent']]);
    expect(letter.body).toContain(`请于${Number(inDays(7).slice(0, 4))}年`);

    // download: the route redirects to the stored file
    const dl = await admin.get(`/api/supervision-letters/${letter.id}/document`);
    expect(dl.statusCode).toBe(303);
    expect(dl.headers.location).toBe(`${letter.document!.contentUrl}?download=true`);
    const file = await admin.get(dl.headers.location as string);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('wordprocessingml');
    expect(decodeURIComponent(String(file.headers['content-disposition']))).toContain(`${letter.number}_市城市管理局.docx`);

    const docx = await readDocx(file.rawPayload);
    expect(docx.headerText).toBe('示范市创建全国文明城市工作指挥部办公室');
    expect(docx.text).toContain(letter.number);
    expect(docx.text).toContain('市城市管理局：');
    expect(docx.text).toContain(letter.title);
    expect(docx.text).toContain('附件：督办问题清单');
    expect(docx.text).toContain(`请于${Number(inDays(7).slice(0, 4))}年${Number(inDays(7).slice(5, 7))}月${Number(inDays(7).slice(8, 10))}日前`);
    const [head, ...rows] = docx.rows;
    expect(head.map((c) => c.text)).toEqual(['序号', '问题编号', '地点', '问题', '发现日期', '整改期限', '超期天数／返工次数', '照片']);
    expect(rows.map((r) => r[1].text)).toEqual([mine.overdue.number, mine.overdue2.number, mine.rework.number]);
    expect(rows[0][3].text).toContain('人行道堆放建筑垃圾');
    expect(rows[0][6].text).toBe('超期5天');
    expect(rows[1][6].text).toBe('超期12天');
    expect(rows[2][6].text).toBe('返工1次');
    expect(rows[0][7].images).toBe(1);
    expect(rows[1][7]).toEqual({ text: '无照片', images: 0 });
    expect(rows[2][7].images).toBe(1);
    expect(docx.media.length).toBe(2);
  });

  it('numbers letters per year without gaps or duplicates, also when sent at once', async () => {
    const year = Number(today().slice(0, 4));
    const first = Number(/〔\d+〕(\d+)号/.exec(letter.number)![1]);
    const sends = await Promise.all(
      [0, 1, 2, 3].map(() => admin.post('/api/supervision-letters', { unitId: cgj, issueIds: [mine.overdue2.id], replyDeadline: inDays(3), body: '请抓紧整改。' })),
    );
    for (const s of sends) expect(s.statusCode, s.body).toBe(200);
    const nums = sends.map((s) => Number(/〔\d+〕(\d+)号/.exec((s.json() as LetterDetail).number)![1])).sort((a, b) => a - b);
    expect(nums).toEqual([first + 1, first + 2, first + 3, first + 4]);
    expect((sends[0].json() as LetterDetail).body).toBe('请抓紧整改。');
    const candidates = (await admin.get(`/api/supervision-letters/candidates/${cgj}`)).json() as CandidateIssue[];
    expect(candidates.find((c) => c.id === mine.overdue2.id)!.inLetters).toHaveLength(5);
    const list = (await admin.get(`/api/supervision-letters?year=${year}&unitId=${cgj}&state=sent&pageSize=100`)).json();
    expect(list.items.map((l: Letter) => l.number)).toContain(letter.number);
  });

  it('a district office issues letters in its own name, with its own 代字 and numbering', async () => {
    const year = Number(today().slice(0, 4));
    const draft = (await qu.get(`/api/supervision-letters/draft?unitId=${cgj}&replyDeadline=${inDays(7)}&count=1`)).json();
    expect(draft.issuer).toBe('文明区创建全国文明城市工作指挥部办公室');
    const res = await qu.post('/api/supervision-letters', { unitId: cgj, issueIds: [mine.overdue.id], replyDeadline: inDays(7) });
    expect(res.statusCode, res.body).toBe(200);
    const district = res.json() as LetterDetail;
    expect(district).toMatchObject({ number: `文明创文督〔${year}〕1号`, issuer: '文明区创建全国文明城市工作指挥部办公室' });
    const docx = await readDocx((await qu.get(district.document!.contentUrl)).rawPayload);
    expect(docx.text).toContain('文明区创建全国文明城市工作指挥部办公室');
    expect(docx.text).toContain(district.number);
    // the city's numbering goes on from its own last number
    const cityLast = Number(/〔\d+〕(\d+)号/.exec(letter.number)![1]);
    const city = (await admin.post('/api/supervision-letters', { unitId: cgj, issueIds: [mine.overdue.id], replyDeadline: inDays(7) })).json() as LetterDetail;
    expect(Number(/^创文督〔\d+〕(\d+)号$/.exec(city.number)![1])).toBeGreaterThan(cityLast);
    expect(city.issuer).toBe('示范市创建全国文明城市工作指挥部办公室');
  });

  it('the unit sees only its letters and replies with text and attachments; the office sends it back, then marks it 已办结', async () => {
    // who sees it
    const forUnit = (await danwei.get('/api/supervision-letters?pageSize=100')).json();
    expect(forUnit.items.length).toBeGreaterThan(0);
    expect(forUnit.items.every((l: Letter) => l.unitName === '市城市管理局')).toBe(true);
    expect((await qu.get(`/api/supervision-letters/${letter.id}`)).statusCode).toBe(404);
    expect((await qu.get('/api/supervision-letters?pageSize=100')).json().items.find((l: Letter) => l.id === letter.id)).toBeUndefined();
    expect((await ducha.get(`/api/supervision-letters/${letter.id}`)).statusCode).toBe(200);
    const seen = (await danwei.get(`/api/supervision-letters/${letter.id}`)).json() as LetterDetail;
    expect(seen).toMatchObject({ canReply: true, canReview: false });
    expect((await danwei.get(`${letter.document!.contentUrl}`)).statusCode).toBe(200);
    expect((await qu.get(`${letter.document!.contentUrl}`)).statusCode).toBe(403);

    // the office cannot close before a reply; the unit cannot close at all
    expect((await admin.post(`/api/supervision-letters/${letter.id}/close`, { version: 1 })).statusCode).toBe(409);
    const empty = await danwei.post(`/api/supervision-letters/${letter.id}/reply`, { version: 1, text: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0].path).toBe('body.text');

    const attachment = await upload(danwei, '整改报告.jpg');
    let l = (await danwei.post(`/api/supervision-letters/${letter.id}/reply`, { version: 1, text: '已组织清运，建立巡查制度。', fileIds: [attachment] })).json() as LetterDetail;
    expect(l).toMatchObject({ state: 'replied', replyText: '已组织清运，建立巡查制度。', version: 2, canReply: false });
    expect(l.events.at(-1)!.files.map((f) => f.id)).toEqual([attachment]);
    expect((await admin.get(`/api/files/${attachment}/content`)).statusCode).toBe(200);
    expect((await danwei.post(`/api/supervision-letters/${letter.id}/close`, { version: 2 })).statusCode).toBe(403);
    expect((await danwei.post(`/api/supervision-letters/${letter.id}/reply`, { version: 2, text: '再回复' })).statusCode).toBe(409);

    // sent back with a reason
    const noReason = await admin.post(`/api/supervision-letters/${letter.id}/return`, { version: 2 });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0].path).toBe('body.note');
    expect((await admin.post(`/api/supervision-letters/${letter.id}/return`, { version: 1, note: '请附照片' })).statusCode).toBe(409);
    l = (await admin.post(`/api/supervision-letters/${letter.id}/return`, { version: 2, note: '请附整改前后对比照片' })).json();
    expect(l).toMatchObject({ state: 'sent', version: 3 });
    l = (await danwei.post(`/api/supervision-letters/${letter.id}/reply`, { version: 3, text: '已补充对比照片。' })).json();
    expect(l.state).toBe('replied');
    const done = await admin.post(`/api/supervision-letters/${letter.id}/close`, { version: 4, note: '整改到位' });
    expect(done.statusCode, done.body).toBe(200);
    l = done.json();
    expect(l.state).toBe('done');
    expect(l.doneAt).not.toBeNull();
    expect(l.events.map((e) => `${e.action}:${e.fromState ?? '-'}→${e.toState}`)).toEqual(['send:-→sent', 'reply:sent→replied', 'return:replied→sent', 'reply:sent→replied', 'close:replied→done']);
    expect(l.events[2].note).toBe('请附整改前后对比照片');

    const audit = (await admin.get(`/api/audit?entity=supervision_letter&entityId=${letter.id}`)).json();
    expect(audit.items.map((a: { action: string }) => a.action).sort()).toEqual(['close', 'create', 'reply', 'reply', 'return']);
  });

  it('the demo city has one 督办函 (to the unit with the most overdue issues), seeded without a document, which gets it on first download from the facts stored at sending', async () => {
    const list = (await admin.get('/api/supervision-letters?pageSize=100')).json();
    const seeded = (list.items as Letter[]).filter((l) => new Date(l.createdAt).getTime() < Date.now() - 86_400_000);
    expect(seeded).toHaveLength(1);
    const demo = seeded[0];
    expect(demo).toMatchObject({ state: 'sent', issuer: '示范市创建全国文明城市工作指挥部办公室' });
    expect(demo.number).toMatch(/^创文督〔\d{4}〕1号$/);
    expect(demo.itemCount).toBeGreaterThan(0);
    const detail = (await admin.get(`/api/supervision-letters/${demo.id}`)).json() as LetterDetail;
    expect(detail.document).toBeNull();
    expect(detail.events.map((e) => e.action)).toEqual(['send']);
    // only the addressed unit's contact replies: danwei (市城市管理局) sees the letter exactly when it is addressed to that unit
    expect((await danwei.get(`/api/supervision-letters/${demo.id}`)).statusCode).toBe(demo.unitName === '市城市管理局' ? 200 : 404);
    const dl = await admin.get(`/api/supervision-letters/${demo.id}/document`);
    expect(dl.statusCode).toBe(303);
    const docx = await readDocx((await admin.get(dl.headers.location as string)).rawPayload);
    expect(docx.text).toContain(demo.number);
    expect(docx.text).toContain(`${demo.unitName}：`);
    expect(docx.rows.slice(1).map((r) => r[1].text)).toEqual(detail.items.map((i) => i.number));
    expect(docx.rows.slice(1).map((r) => r[6].text)).toEqual(detail.items.map((i) => [i.daysOverdue ? `超期${i.daysOverdue}天` : '', i.reworkCount ? `返工${i.reworkCount}次` : '', i.relapseCount ? `回潮${i.relapseCount}次` : ''].filter(Boolean).join('') || '—'));
    // the second download is the same stored file
    expect((await admin.get(`/api/supervision-letters/${demo.id}/document`)).headers.location).toBe(dl.headers.location);
    expect(((await admin.get(`/api/supervision-letters/${demo.id}`)).json() as LetterDetail).document).not.toBeNull();
  });

  it('keeps the letter’s event log append-only', async () => {
    await expect(t.deps.db.execute(sql`UPDATE supervision_letter_events SET note = 'x' WHERE letter_id = ${letter.id}`)).rejects.toThrow();
    await expect(t.deps.db.execute(sql`DELETE FROM supervision_letter_events WHERE letter_id = ${letter.id}`)).rejects.toThrow();
  });
});
