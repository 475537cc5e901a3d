import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { ListSponsorshipsQuery, ListZonesQuery, SponsorTargetType } from '../../../contracts/places.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { Scope } from '../../http/policy.ts';
import { newId } from '../../lib/ids.ts';
import { sponsorshipReadCond, zoneReadCond } from './org.policy.ts';
import { type GeoPolygon, orgUnits, sponsorships, zones } from './org.tables.ts';

export type ZoneRow = typeof zones.$inferSelect;
export type SponsorshipRow = typeof sponsorships.$inferSelect;
export type ZoneViewRow = {
  id: string;
  code: string;
  name: string;
  owner_unit_id: string;
  owner_unit_name: string;
  description: string | null;
  polygon: GeoPolygon | null;
  is_active: boolean;
  version: number;
  total?: number;
};
export type SponsorshipViewRow = {
  id: string;
  unit_id: string;
  unit_name: string;
  target_type: SponsorTargetType;
  target_id: string;
  target_name: string | null;
  is_lead: boolean;
  note: string | null;
  total?: number;
};

const like = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
const whereOf = (parts: SQL[]) => (parts.length ? sql`WHERE ${sql.join(parts, sql` AND `)}` : sql``);
const zoneColumns = sql`z.id, z.code, z.name, z.owner_unit_id, o.name AS owner_unit_name, z.description, z.polygon, z.is_active, z.version`;

export async function listZones(db: Executor, scope: Scope, q: ListZonesQuery) {
  const where: SQL[] = [];
  const scopeCond = zoneReadCond(scope);
  if (scopeCond) where.push(scopeCond);
  if (q.q) where.push(sql`(z.name ILIKE ${like(q.q)} OR z.code ILIKE ${like(q.q)})`);
  if (q.unitId) where.push(sql`EXISTS (SELECT 1 FROM sponsorships fs WHERE fs.target_type = 'zone' AND fs.target_id = z.id AND fs.unit_id = ${q.unitId})`);
  if (!q.includeInactive) where.push(sql`z.is_active`);
  const cond = whereOf(where);
  const items = rowsOf<ZoneViewRow>(
    await db.execute(sql`
      SELECT ${zoneColumns}, count(*) OVER ()::int AS total
      FROM zones z JOIN org_units o ON o.id = z.owner_unit_id ${cond}
      ORDER BY z.code, z.id LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`),
  );
  let total = items[0]?.total ?? 0;
  if (items.length === 0 && q.page > 1) {
    total = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM zones z JOIN org_units o ON o.id = z.owner_unit_id ${cond}`))[0].n;
  }
  return { items, total };
}

export async function getZoneView(db: Executor, id: string, scope?: Scope): Promise<ZoneViewRow | undefined> {
  const scopeCond = scope ? zoneReadCond(scope) : undefined;
  const res = await db.execute(sql`
    SELECT ${zoneColumns} FROM zones z JOIN org_units o ON o.id = z.owner_unit_id
    WHERE z.id = ${id} ${scopeCond ? sql`AND ${scopeCond}` : sql``}`);
  return rowsOf<ZoneViewRow>(res)[0];
}

export async function getZone(db: Executor, id: string, forUpdate = false): Promise<ZoneRow | undefined> {
  const q = db.select().from(zones).where(eq(zones.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

/** 包保 units of zones, lead first. */
export async function zoneUnits(db: Executor, zoneIds: string[]) {
  if (zoneIds.length === 0) return [];
  return db
    .select({ zoneId: sponsorships.targetId, id: orgUnits.id, name: orgUnits.name, isLead: sponsorships.isLead })
    .from(sponsorships)
    .innerJoin(orgUnits, eq(orgUnits.id, sponsorships.unitId))
    .where(and(eq(sponsorships.targetType, 'zone'), inArray(sponsorships.targetId, zoneIds)))
    .orderBy(sql`${sponsorships.isLead} DESC`, orgUnits.sort, orgUnits.name);
}

export async function insertZone(db: Executor, row: typeof zones.$inferInsert): Promise<ZoneRow> {
  const [created] = await db.insert(zones).values(row).returning();
  return created;
}

export async function updateZone(db: Executor, id: string, version: number, data: Partial<typeof zones.$inferInsert>) {
  const [row] = await db
    .update(zones)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(zones.id, id), eq(zones.version, version)))
    .returning();
  return row;
}

/** Replaces a zone's 包保 units, keeping the rows (and their notes) of units that stay. */
export async function replaceZoneUnits(db: Executor, zoneId: string, units: { id: string; isLead: boolean }[]) {
  const current = await db
    .select()
    .from(sponsorships)
    .where(and(eq(sponsorships.targetType, 'zone'), eq(sponsorships.targetId, zoneId)));
  const keep = new Map(units.map((u) => [u.id, u.isLead]));
  const gone = current.filter((c) => !keep.has(c.unitId)).map((c) => c.id);
  if (gone.length) await db.delete(sponsorships).where(inArray(sponsorships.id, gone));
  for (const c of current) {
    const lead = keep.get(c.unitId);
    if (lead !== undefined && lead !== c.isLead) await db.update(sponsorships).set({ isLead: lead }).where(eq(sponsorships.id, c.id));
  }
  const have = new Set(current.map((c) => c.unitId));
  const added = units.filter((u) => !have.has(u.id));
  if (added.length) {
    await db.insert(sponsorships).values(added.map((u) => ({ id: newId(), unitId: u.id, targetType: 'zone', targetId: zoneId, isLead: u.isLead })));
  }
}

// ---- sponsorships ----

const targetName = sql`CASE s.target_type
  WHEN 'community' THEN (SELECT tc.name FROM org_units tc WHERE tc.id = s.target_id)
  WHEN 'zone' THEN (SELECT tz.name FROM zones tz WHERE tz.id = s.target_id)
  WHEN 'point' THEN (SELECT tp.name FROM points tp WHERE tp.id = s.target_id) END`;
const sponsorshipColumns = sql`s.id, s.unit_id, su.name AS unit_name, s.target_type, s.target_id, ${targetName} AS target_name, s.is_lead, s.note`;

export async function listSponsorships(db: Executor, scope: Scope, q: ListSponsorshipsQuery) {
  const where: SQL[] = [];
  const scopeCond = sponsorshipReadCond(scope);
  if (scopeCond) where.push(scopeCond);
  if (q.unitId) where.push(sql`s.unit_id = ${q.unitId}`);
  if (q.targetType) where.push(sql`s.target_type = ${q.targetType}`);
  if (q.targetId) where.push(sql`s.target_id = ${q.targetId}`);
  const cond = whereOf(where);
  const items = rowsOf<SponsorshipViewRow>(
    await db.execute(sql`
      SELECT ${sponsorshipColumns}, count(*) OVER ()::int AS total
      FROM sponsorships s JOIN org_units su ON su.id = s.unit_id ${cond}
      ORDER BY s.target_type, s.target_id, s.is_lead DESC, su.name, s.id
      LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`),
  );
  let total = items[0]?.total ?? 0;
  if (items.length === 0 && q.page > 1) {
    total = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM sponsorships s JOIN org_units su ON su.id = s.unit_id ${cond}`))[0].n;
  }
  return { items, total };
}

export async function getSponsorshipView(db: Executor, id: string): Promise<SponsorshipViewRow | undefined> {
  const res = await db.execute(sql`SELECT ${sponsorshipColumns} FROM sponsorships s JOIN org_units su ON su.id = s.unit_id WHERE s.id = ${id}`);
  return rowsOf<SponsorshipViewRow>(res)[0];
}

export async function getSponsorship(db: Executor, id: string): Promise<SponsorshipRow | undefined> {
  const [row] = await db.select().from(sponsorships).where(eq(sponsorships.id, id)).for('update');
  return row;
}

export async function insertSponsorship(db: Executor, row: typeof sponsorships.$inferInsert): Promise<SponsorshipRow> {
  const [created] = await db.insert(sponsorships).values(row).returning();
  return created;
}

export async function deleteSponsorship(db: Executor, id: string) {
  await db.delete(sponsorships).where(eq(sponsorships.id, id));
}

export async function leadOf(db: Executor, targetType: string, targetId: string): Promise<SponsorshipRow | undefined> {
  const [row] = await db
    .select()
    .from(sponsorships)
    .where(and(eq(sponsorships.targetType, targetType), eq(sponsorships.targetId, targetId), eq(sponsorships.isLead, true)));
  return row;
}

/** The path that decides who may write a sponsorship target: the community, the zone's owner, the point's area. */
export async function targetOf(db: Executor, targetType: SponsorTargetType, targetId: string) {
  const q =
    targetType === 'community'
      ? sql`SELECT name, path, kind, is_active FROM org_units WHERE id = ${targetId}`
      : targetType === 'zone'
        ? sql`SELECT z.name, o.path, 'zone' AS kind, z.is_active FROM zones z JOIN org_units o ON o.id = z.owner_unit_id WHERE z.id = ${targetId}`
        : sql`SELECT name, area_path AS path, 'point' AS kind, is_active FROM points WHERE id = ${targetId}`;
  return rowsOf<{ name: string; path: string; kind: string; is_active: boolean }>(await db.execute(q))[0];
}
