import { CreateGridRequest } from '../../../../contracts/places.ts';
import { parseCount, splitMulti, toHalfWidth } from '../../../../domain/excel-values.ts';
import { staleVersion } from '../../../http/errors.ts';
import { inScope } from '../../../http/policy.ts';
import { newId } from '../../../lib/ids.ts';
import { type AuditChange, audit } from '../../audit/index.ts';
import type { grids } from '../org.tables.ts';
import * as repo from './import.repo.ts';
import { checkField, FileDuplicates, type ImportEnv, type KindImporter, type RowOutcome, RowErrors, type SourceRow } from './import.rows.ts';
import { UnitIndex } from './unit-index.ts';

const shape = CreateGridRequest.shape;
const MOBILE = /^1\d{10}$/;

type GridInsert = typeof grids.$inferInsert;
export type GridPlan = {
  id: string;
  existing: repo.GridRow | undefined;
  fields: Partial<GridInsert>;
  /** undefined: leave the workers as they are (empty cell on update) */
  workerIds: string[] | undefined;
};

async function validate(env: ImportEnv, rows: SourceRow[]): Promise<RowOutcome<GridPlan>[]> {
  const index = new UnitIndex(await repo.allUnits(env.db));
  const codes = rows.map((r) => toHalfWidth(r.raw.code ?? '').trim()).filter(Boolean);
  const existingByCode = new Map((await repo.gridsByCodes(env.db, codes)).map((g) => [g.code, g]));
  const tokens = rows.flatMap((r) => splitMulti(toHalfWidth(r.raw.workers ?? '')));
  const candidates = await repo.usersByUsernameOrPhoneHash(
    env.db,
    tokens.filter((t) => !MOBILE.test(t)),
    tokens.filter((t) => MOBILE.test(t)).map((t) => env.crypto.lookupHash(t)),
  );
  const byUsername = new Map(candidates.map((u) => [u.username, u]));
  const byPhoneHash = new Map(candidates.filter((u) => u.phoneHash).map((u) => [u.phoneHash!, u]));
  const dupes = new FileDuplicates();
  const existingIds = [...existingByCode.values()].map((g) => g.id);
  const pointCounts = env.mode === 'upsert' ? await repo.pointCountsOfGrids(env.db, existingIds) : new Map<string, number>();
  const currentWorkers = env.mode === 'upsert' ? await repo.workersOfGrids(env.db, existingIds) : new Map<string, { username: string; unitPath: string }[]>();

  return rows.map((src) => {
    const r = src.raw;
    const errs = new RowErrors('grids');
    const code = checkField(errs, 'code', shape.code, toHalfWidth(r.code ?? '')) ?? '';
    dupes.check(errs, 'code', code || null, src.row, '网格编码');
    const name = checkField(errs, 'name', shape.name, r.name ?? '') ?? '';
    const fields: Partial<GridInsert> = { code, name };
    let communityPath: string | undefined;
    if (!(r.community ?? '').trim()) errs.add('community', '请填写所属社区');
    else {
      const res = index.resolve(r.community, { kinds: ['community'], scope: env.scope, what: '所属社区' });
      if (!res.unit) errs.add('community', res.error);
      else {
        fields.communityId = res.unit.id;
        communityPath = res.unit.path;
      }
    }
    const hh = parseCount(r.households ?? '');
    if (!hh.ok) errs.add('households', `户数${hh.error}`);
    else if (hh.value !== null) fields.households = hh.value;

    let workerIds: string[] | undefined;
    const names = splitMulti(toHalfWidth(r.workers ?? ''));
    if (names.length) {
      workerIds = [];
      for (const t of names) {
        const u = MOBILE.test(t) ? byPhoneHash.get(env.crypto.lookupHash(t)) : byUsername.get(t);
        if (!u) errs.add('workers', `网格员「${t}」不存在（请填写用户名或手机号）`);
        else if (!u.isActive) errs.add('workers', `网格员「${t}」的账号已停用`);
        else if (!u.isGridWorker) errs.add('workers', `「${t}」没有“网格员”角色`);
        else if (communityPath && !u.unitPath.startsWith(communityPath)) errs.add('workers', `网格员「${t}」不属于所属社区（或其下级单位）`);
        else if (!workerIds.includes(u.id)) workerIds.push(u.id);
      }
    }

    const existing = code ? existingByCode.get(code) : undefined;
    if (existing) {
      if (env.mode === 'insert') errs.add('code', '网格编码已存在（如需更新请选择“更新已有”模式）');
      else {
        const current = index.get(existing.communityId);
        if (!current || !inScope(env.scope, current.path)) errs.add('code', '该网格不在您的管辖范围内');
        const moving = fields.communityId !== undefined && fields.communityId !== existing.communityId;
        // the rules of the grids API: a grid holding points keeps its community; kept workers must fit the new one
        if (moving && (pointCounts.get(existing.id) ?? 0) > 0) errs.add('community', '该网格下仍有点位，不能更换所属社区');
        if (moving && communityPath && workerIds === undefined) {
          for (const w of currentWorkers.get(existing.id) ?? []) {
            if (!w.unitPath.startsWith(communityPath)) errs.add('workers', `现有网格员「${w.username}」不属于新的所属社区，请同时填写网格员`);
          }
        }
      }
    }
    return { row: src.row, data: r, errors: errs.list, action: existing ? 'update' : 'insert', plan: { id: existing?.id ?? newId(), existing, fields, workerIds } };
  });
}

const auditForm = (g: Partial<GridInsert>, workerIds: string[]) => ({
  id: g.id,
  code: g.code,
  name: g.name,
  communityId: g.communityId,
  households: g.households ?? null,
  isActive: g.isActive ?? true,
  version: g.version ?? 1,
  workerIds: [...workerIds].sort(),
});

async function write(env: ImportEnv, outcomes: RowOutcome<GridPlan>[]) {
  const plans = outcomes.map((o) => o.plan);
  const inserts = plans.filter((p) => !p.existing);
  const rows: GridInsert[] = inserts.map((p) => ({ ...p.fields, id: p.id, code: p.fields.code!, name: p.fields.name!, communityId: p.fields.communityId! }));
  await repo.insertGrids(
    env.db,
    rows,
    inserts.flatMap((p) => (p.workerIds ?? []).map((userId) => ({ gridId: p.id, userId }))),
  );
  const changes: AuditChange[] = inserts.map((p, i) => ({ action: 'create', entity: 'grid', entityId: p.id, after: auditForm(rows[i], p.workerIds ?? []) }));
  const updates = plans.filter((p) => p.existing);
  const workersBefore = await repo.workerIdsOfGrids(env.db, updates.map((p) => p.id));
  for (const p of updates) {
    const before = p.existing!;
    const after = await repo.updateGridRow(env.db, before.id, before.version, p.fields);
    if (!after) throw staleVersion();
    const prev = workersBefore.get(before.id) ?? [];
    if (p.workerIds) await repo.replaceGridWorkers(env.db, before.id, p.workerIds);
    changes.push({ action: 'update', entity: 'grid', entityId: before.id, before: auditForm(before, prev), after: auditForm(after, p.workerIds ?? prev) });
  }
  for (let i = 0; i < changes.length; i += 500) await audit(env.db, env.ctx, ...changes.slice(i, i + 500));
  return { inserted: inserts.length, updated: updates.length };
}

export const gridsImporter: KindImporter<GridPlan> = { validate, write };
