import { sql } from 'drizzle-orm';
import type { GeoPolygon } from '../../../contracts/places.ts';
import { type Executor, rowsOf } from '../../db/client.ts';

/** SQL of the public side (随手拍, status page, public photos, Open311 reads). */

export async function rootUnit(db: Executor): Promise<{ id: string; path: string } | undefined> {
  return rowsOf<{ id: string; path: string }>(await db.execute(sql`SELECT id, path FROM org_units WHERE parent_id IS NULL ORDER BY created_at LIMIT 1`))[0];
}

export type GridShape = { id: string; name: string; polygon: GeoPolygon };
export async function gridShapes(db: Executor): Promise<GridShape[]> {
  return rowsOf<GridShape>(await db.execute(sql`SELECT g.id, u.name || ' · ' || g.name AS name, g.polygon FROM grids g JOIN org_units u ON u.id = g.community_id
    WHERE g.is_active AND g.polygon IS NOT NULL ORDER BY u.sort, g.name`));
}

/** The active point closest to (lng, lat), by the equirectangular distance (fine within a city). */
export async function nearestPoint(db: Executor, lng: number, lat: number): Promise<{ id: string; lng: number; lat: number; area_unit_id: string } | undefined> {
  const k = Math.cos((lat * Math.PI) / 180) ** 2;
  const res = await db.execute(sql`SELECT id, lng, lat, area_unit_id FROM points WHERE is_active
    ORDER BY (lng - ${lng}) * (lng - ${lng}) * ${k} + (lat - ${lat}) * (lat - ${lat}) LIMIT 1`);
  return rowsOf<{ id: string; lng: number; lat: number; area_unit_id: string }>(res)[0];
}

export async function insertPublicReport(db: Executor, row: { issueId: string; trackingCode: string; channel: 'web' | 'open311'; apiKeyId: string | null }): Promise<boolean> {
  const res = await db.execute(sql`INSERT INTO public_reports (issue_id, tracking_code, channel, api_key_id)
    VALUES (${row.issueId}, ${row.trackingCode}, ${row.channel}, ${row.apiKeyId}) ON CONFLICT (tracking_code) DO NOTHING RETURNING issue_id`);
  return rowsOf(res).length === 1;
}

export type PublicIssueRow = {
  id: string;
  number: string;
  tracking_code: string | null;
  state: string;
  category_name: string;
  group_name: string | null;
  responsible_unit_name: string | null;
  address: string | null;
  created_at: string | Date;
  updated_at: string | Date;
};

export async function issueByTrackingCode(db: Executor, code: string): Promise<PublicIssueRow | undefined> {
  const res = await db.execute(sql`SELECT i.id, i.number, pr.tracking_code, i.state, c.name AS category_name, pc.name AS group_name,
      ru.name AS responsible_unit_name, i.address, i.created_at, i.updated_at
    FROM public_reports pr JOIN issues i ON i.id = pr.issue_id JOIN issue_categories c ON c.id = i.category_id
    LEFT JOIN issue_categories pc ON pc.id = c.parent_id LEFT JOIN org_units ru ON ru.id = i.responsible_unit_id
    WHERE pr.tracking_code = ${code}`);
  return rowsOf<PublicIssueRow>(res)[0];
}

/** The public steps of an issue: action, time and the photo ids of report and feedback events (never actor, note or other data). */
export async function publicEvents(db: Executor, issueId: string): Promise<{ action: string; at: string | Date; photos: string[] }[]> {
  const res = await db.execute(sql`SELECT action, at, CASE WHEN action IN ('report', 'feedback') THEN coalesce(data->'photos', '[]'::jsonb) ELSE '[]'::jsonb END AS photos
    FROM issue_events WHERE issue_id = ${issueId} ORDER BY id`);
  return rowsOf<{ action: string; at: string | Date; photos: string[] | string }>(res).map((r) => ({
    action: r.action,
    at: r.at,
    photos: typeof r.photos === 'string' ? (JSON.parse(r.photos) as string[]) : r.photos,
  }));
}

export type PublicFileRow = { id: string; storage_key: string; thumb_key: string | null; mime: string; size: number };

/**
 * A file that the public may see: a photo of an issue attached by its report (before) or by a
 * 整改反馈 (after). Verification photos, attachments of other records and unowned uploads are not.
 */
export async function publicPhoto(db: Executor, fileId: string): Promise<PublicFileRow | undefined> {
  const res = await db.execute(sql`SELECT f.id, f.storage_key, f.thumb_key, f.mime, f.size FROM files f
    WHERE f.id = ${fileId} AND f.owner_type = 'issue' AND f.mime LIKE 'image/%'
      AND EXISTS (SELECT 1 FROM issue_events e WHERE e.issue_id::text = f.owner_id AND e.action IN ('report', 'feedback') AND e.data->'photos' ? ${fileId})`);
  return rowsOf<PublicFileRow>(res)[0];
}

/** Deletes uploads nobody owns, made by one uploader (a failed public filing's photos); returns what went. */
export async function deleteUnownedUploads(db: Executor, ids: string[], uploadedBy: string): Promise<{ id: string; storage_key: string; thumb_key: string | null }[]> {
  const res = await db.execute(sql`DELETE FROM files WHERE id IN (${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}) AND owner_type IS NULL AND uploaded_by = ${uploadedBy} RETURNING id, storage_key, thumb_key`);
  return rowsOf<{ id: string; storage_key: string; thumb_key: string | null }>(res);
}
