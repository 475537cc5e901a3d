import { inScope, scopeFor } from '../../http/policy.ts';
import { getUnitRow } from '../org/index.ts';
import { registerFileOwner } from './files.policy.ts';

export { fileRoutes } from './files.routes.ts';
export { type FileOwnerCheck, type FileOwnerDeps, registerFileOwner } from './files.policy.ts';
export { attachFiles, listOwnerFiles, presentFile } from './files.service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/*
 * Files of an org unit (licences, photos of the unit): readable by whoever may read the unit,
 * attachable by whoever may maintain it. It lives here rather than in org/index.ts only because
 * the org module predates the files module; it is also the worked example for other modules.
 */
registerFileOwner(
  'org_unit',
  async (deps, actor, ownerId) => {
    if (!actor.permissions.has('org.read') || !UUID.test(ownerId)) return false;
    const unit = await getUnitRow(deps.db, ownerId);
    return !!unit && inScope(scopeFor(actor, 'read'), unit.path);
  },
  {
    canAttach: async (deps, actor, ownerId) => {
      if (!actor.permissions.has('org.write') || !UUID.test(ownerId)) return false;
      const unit = await getUnitRow(deps.db, ownerId);
      return !!unit && inScope(scopeFor(actor, 'write'), unit.path);
    },
  },
);
