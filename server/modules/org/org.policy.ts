import type { Actor } from '../../http/actor.ts';
import { forbidden } from '../../http/errors.ts';
import { inScope, requirePermission, scopeFor } from '../../http/policy.ts';

/** Who may do what with org data (units, grids, zones, points): permission + subtree. */
export const orgPolicy = {
  read(actor: Actor) {
    requirePermission(actor, 'org.read', '无权查看组织体系');
    return scopeFor(actor, 'read');
  },
  /** Writes need org.write and the record inside the actor's own subtree. */
  write(actor: Actor, path: string) {
    requirePermission(actor, 'org.write', '无权维护组织体系');
    if (!inScope(scopeFor(actor, 'write'), path)) throw forbidden('该单位不在您的管辖范围内');
  },
  /** A unit's own record and its ancestors are edited by the level above, not by itself. */
  editUnit(actor: Actor, unitPath: string) {
    orgPolicy.write(actor, unitPath);
    if (unitPath === actor.unitPath && actor.unitPath.split('/').filter(Boolean).length > 1) {
      throw forbidden('本单位信息由上级维护');
    }
  },
};
