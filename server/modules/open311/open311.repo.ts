import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client.ts';

/** The SQL of Open311 reads and of the API keys. */

export type ServiceRow = { code: string; name: string; group_name: string; time_limit_days: number };

/** Second-level active categories under active groups: the services. */
export async function listServices(db: Executor, code?: string): Promise<ServiceRow[]> {
  const res = await db.execute(sql`SELECT c.code, c.name, p.name AS group_name, c.time_limit_days FROM issue_categories c
    JOIN issue_categories p ON p.id = c.parent_id
    WHERE c.is_active AND p.is_active ${code === undefined ? sql`` : sql`AND c.code = ${code}`}
    ORDER BY p.sort, p.code, c.sort, c.code`);
  return rowsOf<ServiceRow>(res);
}

export async function serviceCategory(db: Executor, code: string): Promise<{ id: string; name: string; time_limit_days: number } | undefined> {
  const res = await db.execute(sql`SELECT c.id, c.name, c.time_limit_days FROM issue_categories c JOIN issue_categories p ON p.id = c.parent_id
    WHERE c.code = ${code} AND c.is_active AND p.is_active`);
  return rowsOf<{ id: string; name: string; time_limit_days: number }>(res)[0];
}

export type RequestRow = {
  number: string;
  state: string;
  category_code: string;
  category_name: string;
  description: string;
  unit_name: string | null;
  merged_into_number: string | null;
  created_at: string | Date;
  updated_at: string | Date;
  closed_at: string | Date | null;
  deadline: string | Date | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  first_photo: string | null;
};

export type RequestFilter = {
  numbers?: string[];
  codes?: string[];
  from?: Date;
  to?: Date;
  /** our states */
  states?: string[];
  limit: number;
};

/** Issues as service requests, newest first; filtered on bare `issues` before the joins. */
export async function listRequests(db: Executor, f: RequestFilter): Promise<RequestRow[]> {
  const where: SQL[] = [];
  if (f.numbers) where.push(sql`i.number IN (${sql.join(f.numbers.map((n) => sql`${n}`), sql`, `)})`);
  if (f.codes) where.push(sql`i.category_id IN (SELECT id FROM issue_categories WHERE code IN (${sql.join(f.codes.map((c) => sql`${c}`), sql`, `)}))`);
  if (f.from) where.push(sql`i.created_at >= ${f.from.toISOString()}`);
  if (f.to) where.push(sql`i.created_at <= ${f.to.toISOString()}`);
  if (f.states) where.push(sql`i.state IN (${sql.join(f.states.map((s) => sql`${s}`), sql`, `)})`);
  const cond = where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
  const res = await db.execute(sql`
    WITH page AS (SELECT i.id FROM issues i ${cond} ORDER BY i.created_at DESC, i.id DESC LIMIT ${f.limit})
    SELECT i.number, i.state, c.code AS category_code, c.name AS category_name, i.description, ru.name AS unit_name,
      mi.number AS merged_into_number, i.created_at, i.updated_at, i.closed_at, i.deadline, i.address, i.lat, i.lng,
      (SELECT e.data->'photos'->>0 FROM issue_events e WHERE e.issue_id = i.id AND e.action = 'report' ORDER BY e.id LIMIT 1) AS first_photo
    FROM page JOIN issues i ON i.id = page.id JOIN issue_categories c ON c.id = i.category_id
    LEFT JOIN org_units ru ON ru.id = i.responsible_unit_id LEFT JOIN issues mi ON mi.id = i.merged_into_id
    ORDER BY i.created_at DESC, i.id DESC`);
  return rowsOf<RequestRow>(res);
}

export async function numberByToken(db: Executor, token: string): Promise<string | undefined> {
  const res = await db.execute(sql`SELECT i.number FROM public_reports pr JOIN issues i ON i.id = pr.issue_id WHERE pr.tracking_code = ${token}`);
  return rowsOf<{ number: string }>(res)[0]?.number;
}

// ---- API keys ----

export type ApiKeyRow = {
  id: string;
  name: string;
  key_prefix: string;
  created_at: string | Date;
  created_by_name: string | null;
  last_used_at: string | Date | null;
  revoked_at: string | Date | null;
  report_count: number;
};

const keyColumns = sql`k.id, k.name, k.key_prefix, k.created_at, u.name AS created_by_name, k.last_used_at, k.revoked_at,
  (SELECT count(*)::int FROM public_reports pr WHERE pr.api_key_id = k.id) AS report_count`;

export async function listApiKeys(db: Executor): Promise<ApiKeyRow[]> {
  return rowsOf<ApiKeyRow>(await db.execute(sql`SELECT ${keyColumns} FROM api_keys k LEFT JOIN users u ON u.id = k.created_by ORDER BY k.revoked_at NULLS FIRST, k.created_at DESC`));
}

export async function getApiKey(db: Executor, id: string, forUpdate = false): Promise<ApiKeyRow | undefined> {
  const lock = forUpdate ? sql`FOR UPDATE OF k` : sql``;
  return rowsOf<ApiKeyRow>(await db.execute(sql`SELECT ${keyColumns} FROM api_keys k LEFT JOIN users u ON u.id = k.created_by WHERE k.id = ${id} ${lock}`))[0];
}

export async function insertApiKey(db: Executor, row: { id: string; name: string; keyPrefix: string; keyHash: string; createdBy: string }): Promise<void> {
  await db.execute(sql`INSERT INTO api_keys (id, name, key_prefix, key_hash, created_by) VALUES (${row.id}, ${row.name}, ${row.keyPrefix}, ${row.keyHash}, ${row.createdBy})`);
}

export async function revokeApiKey(db: Executor, id: string, by: string): Promise<void> {
  await db.execute(sql`UPDATE api_keys SET revoked_at = now(), revoked_by = ${by} WHERE id = ${id} AND revoked_at IS NULL`);
}

/** An active key by the hash of what the client sent. */
export async function activeKeyByHash(db: Executor, hash: string): Promise<{ id: string; name: string } | undefined> {
  return rowsOf<{ id: string; name: string }>(await db.execute(sql`SELECT id, name FROM api_keys WHERE key_hash = ${hash} AND revoked_at IS NULL`))[0];
}

export async function touchApiKey(db: Executor, id: string): Promise<void> {
  await db.execute(sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${id}`);
}
