import { inScope, scopeFor } from '../../http/policy.ts';
import { registerFileOwner } from '../files/index.ts';
import * as repo from './volunteers.repo.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/*
 * Evidence of a 补录 or a correction: readable by whoever may read the record (volunteers.read in
 * its unit's subtree, or the team's admins), attachable by the team's admins and managers in scope.
 */
registerFileOwner(
  'volunteer_record',
  async (deps, actor, ownerId) => {
    if (!UUID.test(ownerId)) return false;
    const r = await repo.getRecord(deps.db, ownerId);
    if (!r) return false;
    if (actor.permissions.has('volunteers.read') && inScope(scopeFor(actor, 'read'), r.unitPath)) return true;
    return repo.isTeamAdmin(deps.db, r.teamId, actor.userId);
  },
  {
    canAttach: async (deps, actor, ownerId) => {
      if (!UUID.test(ownerId)) return false;
      const r = await repo.getRecord(deps.db, ownerId);
      if (!r) return false;
      if (actor.permissions.has('volunteers.manage') && inScope(scopeFor(actor, 'write'), r.unitPath)) return true;
      return repo.isTeamAdmin(deps.db, r.teamId, actor.userId);
    },
  },
);
