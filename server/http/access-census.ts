import type { Permission } from '../../contracts/permissions.ts';

/**
 * THE ACCESS CENSUS: who may call each route, one line per route the app registers. Checked by
 * access-census.int.test.ts on PGlite and PostgreSQL, which lists the routes with Fastify's onRoute
 * hook and fails on a route without a line here, then exercises every line:
 *  - anonymous → 401 for everything not PUBLIC (VOLUNTEER routes answer 401 without a volunteer
 *    session too);
 *  - each demo role (admin, qu_admin, danwei, ducha, wangge, jiandu) that holds none of the listed
 *    permissions → 403 (404 for a route on a record, which may be looked up first), and `city(…)`
 *    routes → 403 for everyone outside the city office (requireCityLevel, server/http/policy.ts);
 *  - routes in SCOPED → the district admin reads a record of its own district and is refused one
 *    of the other district.
 * A new module adds its routes here (and its :id reads to SCOPED), in the same shape:
 *     'GET /api/things': perm('things.read'),
 *     'POST /api/things': perm('things.manage'),
 *     'PUT /api/things/settings': city('things.manage'),
 */
export type AccessRule =
  /** no session needed (public pages, Open311, health, docs, login) */
  | { kind: 'public' }
  /** the public volunteer portal: its own volunteer session, no staff session */
  | { kind: 'volunteer' }
  /** any signed-in user; the service limits it to the user's own records */
  | { kind: 'signedIn' }
  /** a staff user holding any of these permissions (the record's scope is checked by the module policy) */
  | { kind: 'permission'; anyOf: Permission[]; cityLevel: boolean; orAssigned?: string };

const PUBLIC: AccessRule = { kind: 'public' };
const VOLUNTEER: AccessRule = { kind: 'volunteer' };
const SIGNED_IN: AccessRule = { kind: 'signedIn' };
const perm = (...anyOf: Permission[]): AccessRule => ({ kind: 'permission', anyOf, cityLevel: false });
/** the permission, or being assigned to the records (e.g. a volunteer team's admins read their team's): `who` names them */
const permOrAssigned = (anyOf: Permission, who: string): AccessRule => ({ kind: 'permission', anyOf: [anyOf], cityLevel: false, orAssigned: who });
/** a city-wide setting: the permission AND the city office (requireCityLevel) */
const city = (...anyOf: Permission[]): AccessRule => ({ kind: 'permission', anyOf, cityLevel: true });

export const ACCESS: Record<string, AccessRule> = {
  // public
  'GET /api/docs': PUBLIC,
  'GET /api/docs/static/index.html': PUBLIC,
  'GET /api/docs/static/swagger-initializer.js': PUBLIC,
  'GET /api/docs/json': PUBLIC,
  'GET /api/docs/yaml': PUBLIC,
  'GET /api/docs/static/*': PUBLIC,
  'GET /api/openapi.json': PUBLIC,
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /metrics': PUBLIC,
  'GET /api/config': PUBLIC,

  // auth
  'POST /api/auth/login': PUBLIC,
  'GET /api/auth/me': SIGNED_IN,
  'POST /api/auth/logout': PUBLIC,
  'POST /api/auth/password': SIGNED_IN,

  // audit
  'GET /api/audit': perm('audit.read'),

  // org
  'GET /api/org/units': perm('org.read'),
  'GET /api/org/units/tree': perm('org.read'),
  'GET /api/org/units/options': perm('org.read'),
  'GET /api/org/summary': perm('org.read'),
  'GET /api/org/units/:id': perm('org.read'),
  'POST /api/org/units': perm('org.write'),
  'PATCH /api/org/units/:id': perm('org.write'),
  'POST /api/org/units/:id/move': perm('org.write'),
  'POST /api/org/units/:id/deactivate': perm('org.write'),
  'POST /api/org/units/:id/activate': perm('org.write'),
  'GET /api/org/point-types': perm('org.read'),
  'POST /api/org/point-types': city('org.write'),
  'PATCH /api/org/point-types/:id': city('org.write'),
  'GET /api/org/grids': perm('org.read'),
  'GET /api/org/grid-worker-options': perm('org.read'),
  'GET /api/org/grids/:id': perm('org.read'),
  'POST /api/org/grids': perm('org.write'),
  'PATCH /api/org/grids/:id': perm('org.write'),
  'POST /api/org/grids/:id/deactivate': perm('org.write'),
  'POST /api/org/grids/:id/activate': perm('org.write'),
  'GET /api/org/zones': perm('org.read'),
  'GET /api/org/zones/:id': perm('org.read'),
  'POST /api/org/zones': perm('org.write'),
  'PATCH /api/org/zones/:id': perm('org.write'),
  'POST /api/org/zones/:id/deactivate': perm('org.write'),
  'POST /api/org/zones/:id/activate': perm('org.write'),
  'GET /api/org/sponsorships': perm('org.read'),
  'POST /api/org/sponsorships': perm('org.write'),
  'DELETE /api/org/sponsorships/:id': perm('org.write'),
  'GET /api/org/points': perm('org.read'),
  'GET /api/org/points/markers': perm('org.read'),
  'GET /api/org/points/:id': perm('org.read'),
  'POST /api/org/points': perm('org.write'),
  'PATCH /api/org/points/:id': perm('org.write'),
  'POST /api/org/points/:id/deactivate': perm('org.write'),
  'POST /api/org/points/:id/activate': perm('org.write'),

  // files
  'POST /api/files': perm('files.upload'),
  'GET /api/files/:id': SIGNED_IN,
  'GET /api/files/:id/content': SIGNED_IN,
  'GET /api/files/:id/thumbnail': SIGNED_IN,

  // users
  'GET /api/users': perm('users.read'),
  'GET /api/users/:id': perm('users.read'),
  'POST /api/users': perm('users.write'),
  'PATCH /api/users/:id': perm('users.write'),
  'POST /api/users/:id/reset-password': perm('users.write'),
  'POST /api/users/:id/disable': perm('users.write'),
  'POST /api/users/:id/enable': perm('users.write'),
  'POST /api/users/:id/unlock': perm('users.write'),

  // roles
  'GET /api/roles': perm('users.read'),
  'POST /api/roles': city('roles.write'),
  'PATCH /api/roles/:code': city('roles.write'),
  'DELETE /api/roles/:code': city('roles.write'),

  // org
  'GET /api/org/import/:kind/template': perm('org.write'),
  'POST /api/org/import/:kind/preview': perm('org.write'),
  'POST /api/org/import/:kind/commit': perm('org.write'),
  'GET /api/org/export/:kind': perm('org.read'),

  // issues
  'GET /api/issues': perm('issues.read'),
  'GET /api/issues/markers': perm('issues.read'),
  'GET /api/issues/duplicates': perm('issues.read', 'issues.report'),
  'GET /api/issues/:id': perm('issues.read'),
  'POST /api/issues': perm('issues.report'),
  'POST /api/issues/:id/actions/:action': perm('issues.read'),
  'GET /api/issue-categories': perm('issues.read', 'issues.report', 'issues.manage'),
  'POST /api/issue-categories': city('issues.manage'),
  'PATCH /api/issue-categories/:id': city('issues.manage'),
  'GET /api/issues/export': perm('issues.read'),
  'GET /api/issues/place': perm('issues.read', 'issues.report'),
  'GET /api/issues/nearby-points': perm('org.read'),

  // indicators
  'GET /api/indicator-systems': perm('indicators.read'),
  'POST /api/indicator-systems': city('indicators.manage'),
  'GET /api/indicator-systems/:id': perm('indicators.read'),
  'PATCH /api/indicator-systems/:id': city('indicators.manage'),
  'POST /api/indicator-systems/:id/copy': city('indicators.manage'),
  'GET /api/indicator-systems/:id/tree': perm('indicators.read'),
  'POST /api/indicator-systems/:id/nodes': city('indicators.manage'),
  'PATCH /api/indicator-nodes/:id': city('indicators.manage'),
  'GET /api/indicator-nodes/:id/history': perm('indicators.read'),
  'GET /api/indicator-systems/:id/export.xlsx': perm('indicators.read'),
  'POST /api/indicator-systems/:id/import/preview': city('indicators.manage'),
  'POST /api/indicator-systems/:id/import/commit': city('indicators.manage'),
  'POST /api/indicator-systems/:id/task-import/preview': perm('indicators.manage'),
  'POST /api/indicator-systems/:id/task-import/commit': perm('indicators.manage'),
  'GET /api/indicator-systems/:id/tasks/export.xlsx': perm('indicators.read'),
  'GET /api/tasks': perm('indicators.read'),
  'GET /api/tasks/rollup': perm('indicators.read'),
  'GET /api/tasks/:id': perm('indicators.read'),
  'POST /api/tasks': perm('indicators.manage'),
  'PATCH /api/tasks/:id': perm('indicators.manage'),
  'DELETE /api/tasks/:id': perm('indicators.manage'),
  'POST /api/tasks/:id/progress': perm('tasks.report'),
  'GET /api/indicator-settings': perm('indicators.read'),
  'PUT /api/indicator-settings': city('indicators.manage'),
  'GET /api/indicator-systems/:id/responsibility-letters': perm('indicators.read'),
  'GET /api/indicator-systems/:id/units/:unitId/responsibility-letter.docx': perm('indicators.read'),
  'POST /api/indicator-systems/:id/units/:unitId/responsibility-letter/signed': perm('indicators.manage'),

  // public
  'GET /api/public/categories': PUBLIC,
  'GET /api/public/map': PUBLIC,
  'POST /api/public/reports': PUBLIC,
  'GET /api/public/reports/:code': PUBLIC,
  'GET /api/public/photos/:id': PUBLIC,
  'GET /open311/v2/:file': PUBLIC,
  'POST /open311/v2/:file': PUBLIC,
  'GET /open311/v2/services/:file': PUBLIC,
  'GET /open311/v2/requests/:file': PUBLIC,
  'GET /open311/v2/request/:file': PUBLIC,
  'GET /open311/v2/tokens/:file': PUBLIC,

  // apikeys
  'GET /api/system/api-keys': city('system.apikeys'),
  'POST /api/system/api-keys': city('system.apikeys'),
  'POST /api/system/api-keys/:id/revoke': city('system.apikeys'),

  // supervision
  'GET /api/supervision-letters/candidates': perm('issues.supervise'),
  'GET /api/supervision-letters/candidates/:unitId': perm('issues.supervise'),
  'GET /api/supervision-letters/draft': perm('issues.supervise'),
  'GET /api/supervision-letters': perm('issues.supervise', 'issues.read'),
  'GET /api/supervision-letters/:id': perm('issues.supervise', 'issues.read'),
  'GET /api/supervision-letters/:id/document': perm('issues.supervise', 'issues.read'),
  'POST /api/supervision-letters': perm('issues.supervise'),
  'POST /api/supervision-letters/:id/reply': perm('issues.read'),
  'POST /api/supervision-letters/:id/return': perm('issues.supervise'),
  'POST /api/supervision-letters/:id/close': perm('issues.supervise'),

  // issues.stats
  'GET /api/issue-metrics': perm('issues.stats'),
  'GET /api/issue-metrics/trend': perm('issues.stats'),
  'GET /api/issue-metrics/export': perm('issues.stats'),

  // evidence
  'GET /api/evidence/systems': perm('evidence.read'),
  'GET /api/evidence/requirements': perm('evidence.read'),
  'POST /api/evidence/requirements': city('evidence.manage'),
  'PATCH /api/evidence/requirements/:id': city('evidence.manage'),
  'POST /api/evidence/requirements/generate': city('evidence.manage'),
  'GET /api/evidence/items': perm('evidence.read'),
  'GET /api/evidence/items/:id': perm('evidence.read'),
  'POST /api/evidence/items': perm('evidence.submit'),
  'PATCH /api/evidence/items/:id': perm('evidence.submit'),
  'POST /api/evidence/items/:id/submit': perm('evidence.submit'),
  'POST /api/evidence/items/:id/review': perm('evidence.review'),
  'GET /api/evidence/review-queue': perm('evidence.review'),
  'GET /api/evidence/matrix': perm('evidence.read'),
  'GET /api/evidence/matrix/export': perm('evidence.read'),
  'GET /api/evidence/archive': perm('evidence.review'),

  // issues
  'GET /api/holidays': perm('issues.read', 'issues.report', 'issues.manage'),
  'POST /api/holidays': city('issues.manage'),
  'DELETE /api/holidays/:id': city('issues.manage'),

  // self
  'GET /api/notifications': SIGNED_IN,
  'POST /api/notifications/read-all': SIGNED_IN,
  'POST /api/notifications/:id/read': SIGNED_IN,
  'GET /api/saved-views': SIGNED_IN,
  'POST /api/saved-views': SIGNED_IN,
  'DELETE /api/saved-views/:id': SIGNED_IN,

  // surveys
  'GET /api/surveys/questionnaires': perm('surveys.read'),
  'POST /api/surveys/questionnaires': city('surveys.manage'),
  'GET /api/surveys/questionnaires/:id': perm('surveys.read'),
  'POST /api/surveys/questionnaires/:id/versions': city('surveys.manage'),
  'PUT /api/surveys/versions/:id': city('surveys.manage'),
  'POST /api/surveys/versions/:id/publish': city('surveys.manage'),
  'GET /api/surveys/questionnaires/:id/trend': perm('surveys.read'),
  'GET /api/surveys/codes': PUBLIC,
  'GET /api/surveys/rounds': perm('surveys.read'),
  'POST /api/surveys/rounds': city('surveys.manage'),
  'GET /api/surveys/rounds/:id': perm('surveys.read'),
  'PUT /api/surveys/rounds/:id': city('surveys.manage'),
  'POST /api/surveys/rounds/:id/open': city('surveys.manage'),
  'POST /api/surveys/rounds/:id/close': city('surveys.manage'),
  'POST /api/surveys/rounds/:id/tokens': city('surveys.manage'),
  'GET /api/surveys/rounds/:id/qr.svg': perm('surveys.read'),
  'GET /api/surveys/rounds/:id/results': perm('surveys.read'),
  'GET /api/surveys/rounds/:id/results.xlsx': perm('surveys.read'),
  'POST /api/surveys/rounds/:id/collect': perm('surveys.collect'),

  // public
  'GET /api/public/surveys/:slug': PUBLIC,
  'POST /api/public/surveys/:slug/otp': PUBLIC,
  'POST /api/public/surveys/:slug/responses': PUBLIC,

  // quizzes
  'GET /api/quizzes/bank': perm('quizzes.read'),
  'POST /api/quizzes/bank': city('quizzes.manage'),
  'PUT /api/quizzes/bank/:code': city('quizzes.manage'),
  'POST /api/quizzes/bank/:code/retire': city('quizzes.manage'),
  'GET /api/quizzes': perm('quizzes.read'),
  'POST /api/quizzes': city('quizzes.manage'),
  'GET /api/quizzes/:id': perm('quizzes.read'),
  'PUT /api/quizzes/:id/rosters/:unitId': perm('quizzes.read', 'quizzes.manage'),
  'GET /api/quizzes/:id/leaderboard': perm('quizzes.read'),

  // public
  'GET /api/public/quizzes/:slug': PUBLIC,
  'POST /api/public/quizzes/:slug/attempts': PUBLIC,
  'POST /api/public/quizzes/attempts/:id/submit': PUBLIC,

  // jobs
  'GET /api/jobs': SIGNED_IN,
  'GET /api/jobs/schedules': perm('system.jobs'),
  'POST /api/jobs/schedules/:name/run': perm('system.jobs'),
  'GET /api/jobs/:id': SIGNED_IN,
  'POST /api/jobs/:id/cancel': SIGNED_IN,
  'POST /api/jobs/:id/retry': SIGNED_IN,
  'GET /api/jobs/:id/result': SIGNED_IN,

  // volunteers
  'GET /api/volunteers/tags': SIGNED_IN,
  'GET /api/volunteers/settings': SIGNED_IN,
  // a blank workbook (column headers only): any signed-in user
  'GET /api/volunteers/import/template': SIGNED_IN,
  'POST /api/volunteers/import': perm('volunteers.manage'),
  'PUT /api/volunteers/settings': city('volunteers.manage'),
  'GET /api/volunteers': perm('volunteers.read'),
  'POST /api/volunteers': perm('volunteers.manage'),
  'GET /api/volunteers/export': perm('volunteers.read'),
  'GET /api/volunteers/ratio': perm('volunteers.read'),
  'GET /api/volunteers/:id': perm('volunteers.read'),
  'GET /api/volunteers/:id/contact': perm('volunteers.read'),
  'GET /api/volunteer-teams': permOrAssigned('volunteers.read', '志愿队管理员（本队的）'),
  'POST /api/volunteer-teams': perm('volunteers.manage'),
  'PUT /api/volunteer-teams/:id': perm('volunteers.manage'),
  'GET /api/volunteer-teams/:id/members': perm('volunteers.read'),
  'POST /api/volunteer-teams/:id/members/:volunteerId/decide': perm('volunteers.manage'),
  'GET /api/volunteer-stations': perm('volunteers.read'),
  'POST /api/volunteer-stations': perm('volunteers.manage'),
  'GET /api/volunteer-activities': permOrAssigned('volunteers.read', '志愿队管理员（本队的）'),
  'POST /api/volunteer-activities': perm('volunteers.manage'),
  'GET /api/volunteer-activities/:id': perm('volunteers.read'),
  'POST /api/volunteer-activities/:id/cancel': perm('volunteers.manage'),
  'GET /api/volunteer-activities/:id/attendance': perm('volunteers.read'),
  'GET /api/volunteer-activities/:id/checkin-code': perm('volunteers.manage'),
  'GET /api/volunteer-records': permOrAssigned('volunteers.read', '志愿队管理员（本队的）'),
  'POST /api/volunteer-records': perm('volunteers.manage'),
  'POST /api/volunteer-records/:id/decide': perm('volunteers.review'),
  'POST /api/volunteer-records/:id/correct': perm('volunteers.manage'),
  'GET /api/volunteer-certificates': perm('volunteers.read'),
  'POST /api/volunteer-certificates': perm('volunteers.review'),
  'GET /api/volunteer-certificates/:id/file': perm('volunteers.read'),

  // public
  'GET /api/public/volunteers/options': PUBLIC,
  'POST /api/public/volunteers/register': PUBLIC,
  'POST /api/public/volunteers/login': PUBLIC,

  // other
  'GET /api/public/volunteers/me': VOLUNTEER,

  // public
  'GET /api/public/volunteers/teams': PUBLIC,

  // other
  'POST /api/public/volunteers/teams/:id/join': VOLUNTEER,

  // public
  'GET /api/public/volunteers/activities': PUBLIC,
  'GET /api/public/volunteers/activities/:id': PUBLIC,

  // other
  'POST /api/public/volunteers/activities/:id/signup': VOLUNTEER,
  'POST /api/public/volunteers/activities/:id/cancel': VOLUNTEER,

  // public
  'POST /api/public/volunteers/activities/:id/checkin': PUBLIC,
  'POST /api/public/volunteers/records/:id/correction': PUBLIC,

  // other
  'POST /api/public/volunteers/certificates': VOLUNTEER,
  'GET /api/public/volunteers/certificates/:id/file': VOLUNTEER,

  // public
  'GET /api/public/certificates/:code': PUBLIC,

  // inspections
  'GET /api/inspections/groups': perm('inspections.perform'),
  'GET /api/inspections/fragments': perm('inspections.perform'),
  'POST /api/inspections/fragments': city('inspections.manage'),
  'GET /api/inspections/templates': perm('inspections.perform'),
  'POST /api/inspections/templates': city('inspections.manage'),
  'GET /api/inspections/templates/:id': perm('inspections.perform'),
  'POST /api/inspections/templates/:id/versions': city('inspections.manage'),
  'PUT /api/inspections/template-versions/:id': city('inspections.manage'),
  'POST /api/inspections/template-versions/:id/publish': city('inspections.manage'),
  'GET /api/inspections/teams': perm('inspections.perform'),
  'POST /api/inspections/teams': perm('inspections.manage'),
  'PUT /api/inspections/teams/:id': perm('inspections.manage'),
  'POST /api/inspections/draw-preview': perm('inspections.manage'),
  'GET /api/inspections/plans': perm('inspections.perform'),
  'POST /api/inspections/plans': perm('inspections.manage'),
  'GET /api/inspections/plans/:id': perm('inspections.perform'),
  'POST /api/inspections/plans/:id/publish': perm('inspections.manage'),
  'GET /api/inspections/occurrences': perm('inspections.perform'),
  'GET /api/inspections/occurrences/:id': perm('inspections.perform'),
  'POST /api/inspections/occurrences/:id/start': perm('inspections.perform'),
  'POST /api/inspections/occurrences/:id/submit': perm('inspections.perform'),
  'GET /api/inspections/results': perm('inspections.perform'),
  'GET /api/inspections/results/:id': perm('inspections.perform'),
  'POST /api/inspections/results/:id/approve': perm('inspections.review'),
  'POST /api/inspections/results/:id/return': perm('inspections.review'),
  'POST /api/inspections/results/:id/amend': perm('inspections.review'),
  'GET /api/inspections/scores': perm('inspections.perform'),
};

/** The kinds of record the census reads in and out of the district admin's scope (see the test's RECORDS). */
export type RecordKind = 'unit' | 'point' | 'grid' | 'zone' | 'user' | 'issue' | 'evidence' | 'task';

/** Reads of one record: qu_admin (文明区) gets its own district's record and is refused the other district's. */
export const SCOPED: Record<string, RecordKind> = {
  'GET /api/org/units/:id': 'unit',
  'GET /api/org/points/:id': 'point',
  'GET /api/org/grids/:id': 'grid',
  'GET /api/org/zones/:id': 'zone',
  'GET /api/users/:id': 'user',
  'GET /api/issues/:id': 'issue',
  'GET /api/evidence/items/:id': 'evidence',
  'GET /api/tasks/:id': 'task',
};

/**
 * Non-public routes that still validate before they authenticate, so an anonymous request with a
 * bad body answers 400 instead of 401. Issue #15 item 11 (branch sec-input) makes them answer 401
 * first and empties this list; the census fails on a route listed here that already answers 401,
 * so the list only shrinks.
 */
export const ANONYMOUS_400_KNOWN: ReadonlySet<string> = new Set([
]);

/**
 * Routes whose service checks references (a parent unit, a standard, an uploaded workbook) before
 * the permission, so a role without the permission and with a sampled request is refused by
 * validation (400) or by the upload format (415) rather than by 403. The census still checks that
 * they refuse (never a 2xx); moving the permission check first in these services empties the list.
 */
export const REFUSED_BEFORE_PERMISSION: ReadonlySet<string> = new Set([
  'POST /api/volunteers/import',
  'POST /api/org/units',
  'POST /api/org/grids',
  'POST /api/org/zones',
  'POST /api/org/sponsorships',
  'POST /api/org/points',
  'POST /api/users',
  'POST /api/org/import/:kind/preview',
  'POST /api/org/import/:kind/commit',
  'POST /api/indicator-systems/:id/import/preview',
  'POST /api/indicator-systems/:id/import/commit',
  'POST /api/indicator-systems/:id/task-import/preview',
  'POST /api/indicator-systems/:id/task-import/commit',
  'POST /api/supervision-letters/:id/return',
  'POST /api/evidence/items',
  'POST /api/quizzes/bank/:code/retire',
  'POST /api/volunteers',
  'POST /api/volunteer-teams',
  'POST /api/volunteer-stations',
  'POST /api/volunteer-records',
  'POST /api/volunteer-certificates',
]);
