import { randomUUID } from 'node:crypto';
import type { TestApp } from './harness.ts';

/** Small factories for integration tests: build what a test needs rather than relying on demo counts. */

/** The id and materialised path of the unit with this name (demo units have unique names). */
export async function unitByName(t: TestApp, name: string): Promise<{ id: string; path: string }> {
  const { rows } = await t.deps.database.query<{ id: string; path: string }>('SELECT id, path FROM org_units WHERE name = $1', [name]);
  if (rows.length !== 1) throw new Error(`unit ${name}: ${rows.length} rows`);
  return rows[0];
}

/**
 * A user with these roles in this unit, who can log in at once with the demo password (the hash is
 * copied from the demo admin, so no password change is forced). Returns the user's id.
 */
export async function addUser(t: TestApp, username: string, unitId: string, roleCodes: string[]): Promise<string> {
  const id = randomUUID();
  await t.deps.database.query(
    `INSERT INTO users (id, username, name, unit_id, password_hash, must_change_password)
     SELECT $1, $2, $2, $3, password_hash, false FROM users WHERE username = 'admin'`,
    [id, username, unitId],
  );
  for (const code of roleCodes) await t.deps.database.query('INSERT INTO user_roles (user_id, role_code) VALUES ($1, $2)', [id, code]);
  return id;
}
