// Registers the scope-carrying path columns of issues and 督办函 with the org module.
import './issues.scope-paths.ts';
// Registers the 'issue' file owner type with the files module.
import './issues.files.ts';
// Registers the 'supervision_letter' file owner type (督办函 documents and replies).
import './supervision.files.ts';
// Registers the due-reminder schedule with the job queue.
import './issues.schedules.ts';

export { issueRoutes } from './issues.routes.ts';
export { issuesPolicy, issueReadCond } from './issues.policy.ts';
export { supervisionRoutes } from './supervision.routes.ts';
export { issueMetricsRoutes } from './metrics.routes.ts';
export { loadCalendar } from './holidays.repo.ts';
export { fileIssueInTx, issueStates, relapseIssueInTx } from './issues.service.ts';
export { getCategory as getIssueCategoryRow, listCategories as listIssueCategoryRows } from './issues.repo.ts';
// The public filing path, shared with Open311 (GeoReport v2 files through it too).
export { readForm } from './public.routes.ts';
export { assertInCity, checkPhotos, fileOnBehalf, leafCategory, type PublicSettings, placeOf, publicSettings, standInContext, titleOf } from './public.service.ts';
