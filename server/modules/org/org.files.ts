import { inScope, scopeFor } from '../../http/policy.ts';
import { registerFileOwner } from '../files/index.ts';
import { getUnit } from './units.repo.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/*
 * Files of an org unit (licences, photos of the unit): readable by whoever may read the unit,
 * attachable by whoever may maintain it. The worked example of a module registering its own
 * file owner type with the files module.
 */
registerFileOwner(
  'org_unit',
  async (deps, actor, ownerId) => {
    if (!actor.permissions.has('org.read') || !UUID.test(ownerId)) return false;
    const unit = await getUnit(deps.db, ownerId);
    return !!unit && inScope(scopeFor(actor, 'read'), unit.path);
  },
  {
    canAttach: async (deps, actor, ownerId) => {
      if (!actor.permissions.has('org.write') || !UUID.test(ownerId)) return false;
      const unit = await getUnit(deps.db, ownerId);
      return !!unit && inScope(scopeFor(actor, 'write'), unit.path);
    },
  },
);
