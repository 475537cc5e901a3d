/**
 * Baselines of the issue endpoints: the SQL each request needs, written out for bare `pg`.
 * Mirrors server/modules/issues (issues.policy.ts issueReadCond, issues.repo.ts listIssues /
 * getIssueView / listEvents, files listByOwner). Keep in step with the repository when it changes;
 * run.ts checks that the baseline returns the same ids and total as the API before measuring.
 */

/**
 * The read scope of an actor who is not city-wide and works no grid (the benchmarks' actors):
 * area, dispatched to the subtree, reported. $1 = root path%, $2 = user id. (A 网格员's grids,
 * which the session query returns, add `OR i.grid_id = ANY(…)`.)
 */
const SCOPE = `(i.area_path LIKE $1
    OR (i.responsible_path LIKE $1 AND i.state NOT IN ('reported', 'accepted', 'rejected', 'merged'))
    OR i.reporter_id = $2)`;

const VIEW_COLUMNS = `i.id, i.number, i.source, i.category_id, c.name AS category_name, i.severity, i.title, i.description,
  i.point_id, i.grid_id, i.area_unit_id, a.name AS area_unit_name, i.address, i.lng, i.lat,
  i.reporter_id, rep.name AS reporter_name, i.reporter_phone_enc,
  i.responsible_unit_id, ru.name AS responsible_unit_name, i.deadline,
  (i.deadline IS NOT NULL AND i.deadline < now() AND i.state NOT IN ('closed', 'rejected', 'merged')) AS is_overdue,
  (i.deadline IS NOT NULL AND i.deadline >= now() AND i.deadline < now() + make_interval(hours => 24) AND i.state NOT IN ('closed', 'rejected', 'merged')) AS is_due_soon,
  i.state, i.extension_pending, i.rework_count, i.relapse_count, i.merged_into_id, i.version, i.created_at, i.updated_at, i.closed_at`;
const VIEW_JOINS = `JOIN issue_categories c ON c.id = i.category_id JOIN org_units a ON a.id = i.area_unit_id
  LEFT JOIN org_units ru ON ru.id = i.responsible_unit_id LEFT JOIN users rep ON rep.id = i.reporter_id`;

const page = (where: string, limitParam: number) => `
WITH f AS MATERIALIZED (SELECT i.id, i.created_at FROM issues i WHERE ${where}),
page AS (
  SELECT f.id, count(*) OVER ()::int AS total FROM f
  ORDER BY f.created_at DESC, f.id DESC LIMIT $${limitParam} OFFSET $${limitParam + 1})
SELECT ${VIEW_COLUMNS}, page.total
FROM page JOIN issues i ON i.id = page.id ${VIEW_JOINS}
ORDER BY i.created_at DESC, i.id DESC`;

/** The dispatcher's queue: one state in the scope. $1 scope%, $2 user, $3 state, $4 limit, $5 offset. */
export const DISPATCHER_LIST_SQL = page(`${SCOPE} AND i.state = $3`, 4);

/** The unit's to-do (`mine`): dispatched to the unit's subtree, optionally one state. $1 scope%, $2 user, $3 unit path%, $4 state or null, $5 limit, $6 offset. */
export const UNIT_LIST_SQL = page(
  `${SCOPE} AND (i.responsible_path LIKE $3 AND i.state NOT IN ('reported', 'accepted', 'rejected', 'merged')) AND ($4::text IS NULL OR i.state = $4)`,
  5,
);

/** The issue page: the view (with the policy's facts and the reports merged into it), the events, the files. */
export const ISSUE_PAGE_SQL = {
  view: `SELECT ${VIEW_COLUMNS}, i.area_path, i.responsible_path, i.requested_deadline,
      (SELECT coalesce(json_agg(json_build_object('id', m.id, 'number', m.number, 'title', m.title, 'source', m.source, 'created_at', m.created_at) ORDER BY m.created_at, m.id), '[]')
        FROM issues m WHERE m.merged_into_id = i.id) AS merged_reports
    FROM issues i ${VIEW_JOINS} WHERE i.id = $1`,
  events: `SELECT e.id, e.issue_id, e.action, e.from_state, e.to_state, e.actor_id, u.name AS actor_name, e.actor_unit_id, au.name AS actor_unit_name, du.name AS unit_name, e.note, e.data, e.at
    FROM issue_events e LEFT JOIN users u ON u.id = e.actor_id LEFT JOIN org_units au ON au.id = e.actor_unit_id
      LEFT JOIN org_units du ON du.id = (e.data->>'unitId')::uuid
    WHERE e.issue_id = $1 ORDER BY e.id`,
  files: `SELECT * FROM files WHERE owner_type = 'issue' AND owner_id = $1 ORDER BY created_at, id`,
};

/** A bare filing through `pg`: the day's number, the issue row and its first event, in one transaction. */
export const BARE_FILE_SQL = {
  counter: `INSERT INTO issue_day_counters (day, last) VALUES ($1, 1) ON CONFLICT (day) DO UPDATE SET last = issue_day_counters.last + 1 RETURNING last`,
  issue: `INSERT INTO issues (id, number, source, category_id, severity, title, description, point_id, grid_id, area_unit_id, area_path, lng, lat, reporter_id, state)
    VALUES ($1, $2, 'grid', $3, 'normal', $4, $5, $6, $7, $8, $9, $10, $11, $12, 'reported')`,
  event: `INSERT INTO issue_events (issue_id, action, to_state, actor_id, data) VALUES ($1, 'report', 'reported', $2, '{}'::jsonb)`,
};
