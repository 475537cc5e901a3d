import gcoord, { type CRSTypes } from 'gcoord';
import { CreatePointRequest, Lat, Lng } from '../../../../contracts/places.ts';
import { type CoordinateSystem, parseBool, parseCoordinate, parseCrs, roundCoord, splitMulti, toHalfWidth } from '../../../../domain/excel-values.ts';
import { staleVersion } from '../../../http/errors.ts';
import { inScope } from '../../../http/policy.ts';
import { newId } from '../../../lib/ids.ts';
import { type AuditChange, audit } from '../../audit/index.ts';
import type { points } from '../org.tables.ts';
import * as repo from './import.repo.ts';
import { checkField, FileDuplicates, type ImportEnv, type KindImporter, type RowOutcome, RowErrors, type SourceRow } from './import.rows.ts';
import { UnitIndex } from './unit-index.ts';

const shape = CreatePointRequest.shape;
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

type PointInsert = typeof points.$inferInsert;
export type PointPlan = {
  id: string;
  existing: repo.PointRow | undefined;
  fields: Partial<PointInsert>;
  /** undefined: leave the 责任单位 as they are */
  unitIds: string[] | undefined;
};

const CRS: Record<CoordinateSystem, CRSTypes> = { WGS84: gcoord.WGS84, GCJ02: gcoord.GCJ02, BD09: gcoord.BD09 };

/** Coordinates of any supported system to WGS-84, rounded to about 1 cm. */
export function toWgs84(lng: number, lat: number, crs: CoordinateSystem): [number, number] {
  if (crs === 'WGS84') return [roundCoord(lng), roundCoord(lat)];
  const [x, y] = gcoord.transform([lng, lat], CRS[crs], gcoord.WGS84);
  return [roundCoord(x), roundCoord(y)];
}

async function validate(env: ImportEnv, rows: SourceRow[]): Promise<RowOutcome<PointPlan>[]> {
  const index = new UnitIndex(await repo.allUnits(env.db));
  const types = await repo.allPointTypes(env.db);
  const typeByName = new Map(types.filter((t) => t.isActive).flatMap((t) => [[norm(t.name), t] as const, [norm(t.code).toLowerCase(), t] as const]));
  const codes = rows.map((r) => toHalfWidth(r.raw.code ?? '').trim()).filter(Boolean);
  const existingByCode = new Map((await repo.pointsByCodes(env.db, codes)).map((p) => [p.code, p]));
  const gridCodes = rows.map((r) => toHalfWidth(r.raw.grid ?? '').trim()).filter(Boolean);
  const gridByCode = new Map((await repo.gridsByCodes(env.db, gridCodes)).map((g) => [g.code, g]));
  const dupes = new FileDuplicates();
  const keptGridIds = [...existingByCode.values()].map((p) => p.gridId).filter((id): id is string => !!id);
  const keptGrids = new Map((env.mode === 'upsert' ? await repo.gridsByIds(env.db, keptGridIds) : []).map((g) => [g.id, g]));

  return rows.map((src) => {
    const r = src.raw;
    const errs = new RowErrors('points');
    const fields: Partial<PointInsert> = {};
    const code = checkField(errs, 'code', shape.code, toHalfWidth(r.code ?? '')) ?? '';
    dupes.check(errs, 'code', code || null, src.row, '点位编码');
    fields.code = code;
    fields.name = checkField(errs, 'name', shape.name, r.name ?? '');
    const typeText = norm(r.type ?? '');
    if (!typeText) errs.add('type', '请填写点位类型');
    else {
      const t = typeByName.get(typeText) ?? typeByName.get(typeText.toLowerCase());
      if (t) fields.typeId = t.id;
      else errs.add('type', `点位类型「${r.type}」不存在（可选：${types.filter((x) => x.isActive).slice(0, 8).map((x) => x.name).join('、')}…）`);
    }
    fields.address = checkField(errs, 'address', shape.address, r.address ?? '');

    const crs = parseCrs(r.crs ?? '');
    if (!crs.ok) errs.add('crs', crs.error);
    const lng = parseCoordinate(r.lng ?? '', 'lng');
    const lat = parseCoordinate(r.lat ?? '', 'lat');
    if (!lng.ok) errs.add('lng', lng.error);
    else if (lng.value === null) errs.add('lng', '请填写经度');
    if (!lat.ok) errs.add('lat', lat.error);
    else if (lat.value === null) errs.add('lat', '请填写纬度');
    if (lng.ok && lat.ok && lng.value !== null && lat.value !== null && crs.ok) {
      // range first in the file's own numbers, so a swapped lng/lat is reported as such
      const okLng = checkField(errs, 'lng', Lng, lng.value);
      const okLat = checkField(errs, 'lat', Lat, lat.value);
      if (okLng !== undefined && okLat !== undefined) {
        const [x, y] = toWgs84(okLng, okLat, crs.value);
        fields.lng = x;
        fields.lat = y;
      }
    }

    let areaPath: string | undefined;
    if (!(r.area ?? '').trim()) errs.add('area', '请填写所在区域（街道或社区）');
    else {
      const res = index.resolve(r.area, { kinds: ['street', 'community'], scope: env.scope, what: '所在区域' });
      if (!res.unit) errs.add('area', res.error);
      else {
        fields.areaUnitId = res.unit.id;
        fields.areaPath = areaPath = res.unit.path;
      }
    }
    const gridCode = toHalfWidth(r.grid ?? '').trim();
    if (gridCode) {
      const g = gridByCode.get(gridCode);
      if (!g?.isActive) errs.add('grid', `网格「${gridCode}」不存在或已停用`);
      else {
        const community = index.get(g.communityId);
        if (areaPath && community && !community.path.startsWith(areaPath)) errs.add('grid', `网格「${gridCode}」不在所在区域内`);
        fields.gridId = g.id;
      }
    }
    let unitIds: string[] | undefined;
    const unitNames = splitMulti(r.units ?? '');
    if (!unitNames.length) errs.add('units', '至少填写一个责任单位');
    else {
      unitIds = [];
      for (const n of unitNames) {
        const res = index.resolve(n, { what: '责任单位' });
        if (!res.unit) errs.add('units', res.error);
        else if (!unitIds.includes(res.unit.id)) unitIds.push(res.unit.id);
      }
    }
    const key = parseBool(r.isKey ?? '');
    if (!key.ok) errs.add('isKey', key.error);
    else if (key.value !== null) fields.isKey = key.value;

    const existing = code ? existingByCode.get(code) : undefined;
    if (existing) {
      if (env.mode === 'insert') errs.add('code', '点位编码已存在（如需更新请选择“更新已有”模式）');
      else {
        if (!inScope(env.scope, existing.areaPath)) errs.add('code', '该点位不在您的管辖范围内');
        // a new area with the grid cell left empty keeps the stored grid: it must lie in the new area
        const kept = !gridCode && existing.gridId ? keptGrids.get(existing.gridId) : undefined;
        const keptCommunity = kept ? index.get(kept.communityId) : undefined;
        if (areaPath && keptCommunity && !keptCommunity.path.startsWith(areaPath)) errs.add('grid', `现有网格「${kept?.code}」不在新的所在区域内，请同时填写网格编码`);
      }
    }
    return { row: src.row, data: r, errors: errs.list, action: existing ? 'update' : 'insert', plan: { id: existing?.id ?? newId(), existing, fields, unitIds } };
  });
}

const auditForm = (p: Partial<PointInsert>, unitIds: string[]) => {
  const { createdAt, updatedAt, ...rest } = p;
  return { ...rest, unitIds: [...unitIds].sort() };
};

async function write(env: ImportEnv, outcomes: RowOutcome<PointPlan>[]) {
  const plans = outcomes.map((o) => o.plan);
  const inserts = plans.filter((p) => !p.existing);
  const rows: PointInsert[] = inserts.map((p) => {
    const f = p.fields;
    return { ...f, id: p.id, code: f.code!, name: f.name!, typeId: f.typeId!, address: f.address!, lng: f.lng!, lat: f.lat!, areaUnitId: f.areaUnitId!, areaPath: f.areaPath! };
  });
  await repo.insertPoints(
    env.db,
    rows,
    inserts.flatMap((p) => (p.unitIds ?? []).map((unitId) => ({ pointId: p.id, unitId }))),
  );
  const changes: AuditChange[] = inserts.map((p, i) => ({ action: 'create', entity: 'point', entityId: p.id, after: auditForm(rows[i], p.unitIds ?? []) }));
  const updates = plans.filter((p) => p.existing);
  const unitsBefore = await repo.unitIdsOfPoints(env.db, updates.map((p) => p.id));
  for (const p of updates) {
    const before = p.existing!;
    const after = await repo.updatePointRow(env.db, before.id, before.version, p.fields);
    if (!after) throw staleVersion();
    const prev = unitsBefore.get(before.id) ?? [];
    if (p.unitIds) await repo.replacePointUnitRows(env.db, before.id, p.unitIds);
    changes.push({ action: 'update', entity: 'point', entityId: before.id, before: auditForm(before, prev), after: auditForm(after, p.unitIds ?? prev) });
  }
  for (let i = 0; i < changes.length; i += 500) await audit(env.db, env.ctx, ...changes.slice(i, i + 500));
  return { inserted: inserts.length, updated: updates.length };
}

export const pointsImporter: KindImporter<PointPlan> = { validate, write };
