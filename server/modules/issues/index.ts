// Registers the 'issue' file owner type with the files module.
import './issues.files.ts';

export { issueRoutes } from './issues.routes.ts';
export { issuesPolicy, issueReadCond } from './issues.policy.ts';
