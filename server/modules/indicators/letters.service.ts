import { sql } from 'drizzle-orm';
import { type ResponsibilityLetter, type SignResponsibilityLetterRequest, TaskUnitRoleLabels } from '../../../contracts/indicators.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../http/errors.ts';
import type { Scope } from '../../http/policy.ts';
import { type DocBlock, formatDocumentNumber, type OfficialDocument, renderOfficialDocument } from '../../lib/gbt9704.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { attachFiles, listOwnerFiles } from '../files/index.ts';
import { getUnitRow } from '../org/index.ts';
import { indicatorsPolicy } from './indicators.policy.ts';
import * as repo from './indicators.repo.ts';
import { invalid } from './indicators.service.ts';

type LetterDeps = Pick<Deps, 'db'>;

type LetterRow = {
  unit_id: string;
  unit_name: string;
  unit_path: string;
  task_count: number;
  letter_id: string | null;
  signed_on: string | null;
  signed_file_id: string | null;
  signed_recorded_at: string | Date | null;
  recorded_by_name: string | null;
  version: number | null;
};

async function letterRows(db: Executor, systemId: string, scope: Scope, unitId?: string): Promise<LetterRow[]> {
  const r = await db.execute(sql`
    SELECT u.id AS unit_id, u.name AS unit_name, u.path AS unit_path, count(DISTINCT tu.task_id)::int AS task_count,
      l.id AS letter_id, l.signed_on::text AS signed_on, l.signed_file_id, l.signed_recorded_at, ru.name AS recorded_by_name, l.version
    FROM task_units tu
    JOIN tasks t ON t.id = tu.task_id
    JOIN org_units u ON u.id = tu.unit_id
    LEFT JOIN responsibility_letters l ON l.system_id = t.system_id AND l.unit_id = tu.unit_id
    LEFT JOIN users ru ON ru.id = l.signed_recorded_by
    WHERE t.system_id = ${systemId}
      ${scope.isAll ? sql`` : sql`AND tu.unit_path LIKE ${`${scope.rootPath}%`}`}
      ${unitId ? sql`AND tu.unit_id = ${unitId}` : sql``}
    GROUP BY u.id, u.name, u.path, u.sort, l.id, l.signed_on, l.signed_file_id, l.signed_recorded_at, ru.name, l.version
    ORDER BY u.path`);
  return rowsOf<LetterRow>(r);
}

async function presentLetter(db: Executor, system: repo.SystemRow, r: LetterRow): Promise<ResponsibilityLetter> {
  const files = r.letter_id && r.signed_file_id ? await listOwnerFiles(db, 'responsibility_letter', r.letter_id) : [];
  return {
    systemId: system.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    year: system.year,
    taskCount: r.task_count,
    signedOn: r.signed_on,
    signedFile: files.find((f) => f.id === r.signed_file_id) ?? null,
    signedRecordedAt: r.signed_recorded_at ? new Date(r.signed_recorded_at).toISOString() : null,
    signedRecordedByName: r.recorded_by_name,
    version: r.version ?? 0,
  };
}

async function requireSystem(db: Executor, id: string) {
  const s = await repo.getSystem(db, id);
  if (!s) throw notFound('测评体系');
  return s;
}

/** The units of the actor's scope that hold tasks in the system, with their letter's signing record. */
export async function listLetters(deps: LetterDeps, ctx: RequestContext, systemId: string, signed?: boolean): Promise<ResponsibilityLetter[]> {
  const scope = indicatorsPolicy.read(ctx.actor);
  const system = await requireSystem(deps.db, systemId);
  const rows = (await letterRows(deps.db, systemId, scope)).filter((r) => signed === undefined || (r.signed_on !== null) === signed);
  const out: ResponsibilityLetter[] = [];
  for (const r of rows) out.push(await presentLetter(deps.db, system, r));
  return out;
}

type LetterTask = { code: string; content: string | null; standard: string; level: string; title: string; materials: string; role: string; deadline_text: string; seq: number };

/** The 目标责任书 of one unit as a GB/T 9704 document (文件格式): its tasks in a table, the duties, room for signatures. */
export async function buildLetterDocument(db: Executor, system: repo.SystemRow, unit: { id: string; name: string }, seq: number, today: Date): Promise<OfficialDocument> {
  const [city] = rowsOf<{ name: string }>(await db.execute(sql`SELECT name FROM org_units WHERE parent_id IS NULL ORDER BY created_at LIMIT 1`));
  const cityName = city?.name ?? '';
  const tasks = rowsOf<LetterTask>(
    await db.execute(sql`
      SELECT n.code, CASE WHEN n.level = 'content' THEN n.text ELSE pc.text END AS content, n.text AS standard, n.level, t.title, t.materials, tu.role, t.deadline_text, t.seq
      FROM task_units tu JOIN tasks t ON t.id = tu.task_id JOIN indicator_nodes n ON n.id = t.node_id
      LEFT JOIN indicator_nodes pc ON pc.id = n.parent_id AND n.level = 'standard'
      JOIN indicator_nodes it ON it.id = t.item_node_id
      WHERE t.system_id = ${system.id} AND tu.unit_id = ${unit.id}
      ORDER BY it.sort, it.code, t.seq`),
  );
  const minors = system.kind === 'minors';
  const subject = minors ? '未成年人思想道德建设' : '创建全国文明城市';
  const issuer = `${cityName}创建全国文明城市工作指挥部`;
  const byRole = (role: string) => tasks.filter((t) => t.role === role).length;
  const body: DocBlock[] = [
    {
      type: 'paragraph',
      text: `为全面完成${system.year}年${subject}各项目标任务，按照《${system.name}》和全市任务分解安排，明确${unit.name}的目标责任如下。`,
    },
    { type: 'heading', level: 1, text: '目标任务' },
    {
      type: 'paragraph',
      text: `${unit.name}承担任务${tasks.length}项，其中牵头${byRole('lead')}项、责任${byRole('responsible')}项、配合${byRole('cooperating')}项，具体如下表。`,
    },
    {
      type: 'table',
      columns: [
        { header: '序号', width: 0.6, align: 'center' },
        { header: '指标编号', width: 1.1, align: 'center' },
        { header: '测评内容/标准', width: 3.2 },
        { header: '任务要求', width: 3 },
        { header: '角色', width: 1, align: 'center' },
        { header: '完成时限', width: 1.4, align: 'center' },
      ],
      rows: tasks.map((t, i) => [
        String(i + 1),
        t.code,
        t.level === 'content' ? t.standard : `${t.content ?? ''}${t.content ? '：' : ''}${t.standard}`,
        t.title !== t.standard ? t.title : t.materials ? `按标准落实，报送材料：${t.materials}` : '按测评标准落实到位',
        TaskUnitRoleLabels[t.role as keyof typeof TaskUnitRoleLabels] ?? t.role,
        t.deadline_text || '按期完成',
      ]),
      fontSize: 10.5,
    },
    { type: 'heading', level: 1, text: '工作要求' },
    { type: 'heading', level: 2, text: '压实责任。', continuation: '主要负责人为第一责任人，明确分管负责人和联络员，把任务落实到科室和人员。' },
    { type: 'heading', level: 2, text: '按时报送。', continuation: '在创文通平台按月报送任务进度，材料审核类任务按要求上传佐证材料，确保真实完整。' },
    { type: 'heading', level: 2, text: '协同配合。', continuation: '牵头单位统筹推进，责任单位抓好落实，配合单位主动支持，不推诿、不扯皮。' },
    { type: 'heading', level: 2, text: '考核奖惩。', continuation: `本责任书完成情况纳入${system.year}年度创建工作考核，对工作不力、影响测评成绩的单位予以通报。` },
    { type: 'paragraph', text: `本责任书一式两份，${issuer}办公室和${unit.name}各执一份，自签订之日起生效。` },
    { type: 'paragraph', text: `${issuer}（盖章）　　　　${unit.name}（盖章）\n指挥部负责人（签字）：　　　　单位主要负责人（签字）：` },
  ];
  return {
    layout: 'document',
    issuer,
    number: formatDocumentNumber('创文责', system.year, seq),
    title: `${cityName}${system.year}年${subject}目标责任书`,
    recipients: [unit.name],
    body,
    date: today,
    sealed: true,
  };
}

/** GET …/responsibility-letter.docx: generated from the current tasks each time (never stale). */
export async function renderLetter(deps: LetterDeps, ctx: RequestContext, systemId: string, unitId: string): Promise<{ fileName: string; buffer: Buffer }> {
  const scope = indicatorsPolicy.read(ctx.actor);
  const system = await requireSystem(deps.db, systemId);
  const unit = await getUnitRow(deps.db, unitId);
  if (!unit || !indicatorsPolicy.canSeeUnit(scope, unit.path)) throw notFound('单位');
  const all = await letterRows(deps.db, systemId, { ...scope, isAll: true });
  const seq = all.findIndex((r) => r.unit_id === unitId) + 1;
  if (seq === 0) throw new AppError('BUSINESS_RULE', `「${unit.name}」在该测评体系中没有任务，无法生成目标责任书`);
  const doc = await buildLetterDocument(deps.db, system, unit, seq, new Date());
  return { fileName: `${unit.name}${system.year}年目标责任书.docx`, buffer: await renderOfficialDocument(doc) };
}

/** Records the signed scan (a PDF or image the actor uploaded) and the date written on it; a new scan replaces the shown one (the old stays in the audit log). */
export async function recordSigned(deps: LetterDeps, ctx: RequestContext, systemId: string, unitId: string, input: SignResponsibilityLetterRequest): Promise<ResponsibilityLetter> {
  const scope = indicatorsPolicy.manage(ctx.actor);
  const system = await requireSystem(deps.db, systemId);
  const unit = await getUnitRow(deps.db, unitId);
  if (!unit) throw notFound('单位');
  if (!indicatorsPolicy.canSeeUnit(scope, unit.path)) throw forbidden('该单位不在您的管辖范围内');
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  if (input.signedOn > today) throw invalid('body.signedOn', '签订日期不能晚于今天');
  await deps.db.transaction(async (tx) => {
    const rows = await letterRows(tx, systemId, { ...scope, isAll: true }, unitId);
    if (!rows.length) throw new AppError('BUSINESS_RULE', `「${unit.name}」在该测评体系中没有任务`);
    const before = rows[0];
    if ((before.version ?? 0) !== input.version) throw staleVersion();
    let id = before.letter_id;
    if (!id) {
      id = newId();
      await tx.execute(sql`INSERT INTO responsibility_letters (id, system_id, unit_id, year, signed_on, signed_recorded_by, signed_recorded_at) VALUES (${id}, ${systemId}, ${unitId}, ${system.year}, ${input.signedOn}, ${ctx.actor.userId}, now())`);
    } else {
      const r = await tx.execute(sql`UPDATE responsibility_letters SET signed_on = ${input.signedOn}, signed_recorded_by = ${ctx.actor.userId}, signed_recorded_at = now(), version = version + 1, updated_at = now()
        WHERE id = ${id} AND version = ${input.version} RETURNING id`);
      if (rowsOf(r).length !== 1) throw staleVersion();
    }
    const [file] = await attachFiles(tx, [input.fileId], 'responsibility_letter', id, ctx);
    if (file.kind !== 'pdf' && file.kind !== 'image') throw invalid('body.fileId', '签订扫描件须为 PDF 或图片');
    await tx.execute(sql`UPDATE responsibility_letters SET signed_file_id = ${file.id} WHERE id = ${id}`);
    await audit(tx, ctx, {
      action: 'sign',
      entity: 'responsibility_letter',
      entityId: id,
      before: { signedOn: before.signed_on, signedFileId: before.signed_file_id },
      after: { systemId, unitId, signedOn: input.signedOn, signedFileId: file.id },
    });
  });
  const [row] = await letterRows(deps.db, systemId, { ...scope, isAll: true }, unitId);
  return presentLetter(deps.db, system, row);
}
