/**
 * The second query of GET /api/auth/me (server/modules/auth/auth.service.ts getMe), copied for the
 * diagnostic arm of the auth.me benchmark: $1 user id, $2 the unit's path. Keep in step.
 */
export const ME_SQL = `SELECT u.phone_enc, u.must_change_password, o.name AS unit_name, o.kind AS unit_kind,
       (SELECT array_agg(a.name ORDER BY a.depth) FROM org_units a WHERE $2 LIKE a.path || '%') AS path_names,
       (SELECT coalesce(json_agg(json_build_object('code', r.code, 'name', r.name) ORDER BY r.code), '[]')
          FROM user_roles ur JOIN roles r ON r.code = ur.role_code WHERE ur.user_id = u.id) AS role_names
     FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.id = $1`;
