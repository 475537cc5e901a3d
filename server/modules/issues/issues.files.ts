import { registerFileOwner } from '../files/index.ts';
import { factsOf, issuesPolicy } from './issues.policy.ts';
import * as repo from './issues.repo.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/*
 * Photos of an issue (before, after, verification): readable by whoever may see the issue
 * (the issue policy), attachable by whoever may see it and report or act on issues. The
 * service attaches them in the transaction of the report or the action.
 */
registerFileOwner(
  'issue',
  async (deps, actor, ownerId) => {
    if (!actor.permissions.has('issues.read') || !UUID.test(ownerId)) return false;
    const row = await repo.getIssue(deps.db, ownerId);
    if (!row) return false;
    return issuesPolicy.canSee(actor, issuesPolicy.read(actor), factsOf(row));
  },
);
