import { registerFileOwner } from '../files/index.ts';
import { inspectionsPolicy } from './inspections.policy.ts';
import * as repo from './inspections.repo.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/*
 * Photos of an inspection: readable by whoever may read the inspection (暗访 hidden until
 * published); attached only by the service, in the submission's transaction, to an inspection
 * the actor is submitting — so `canAttach` at upload time is refused (photos are uploaded
 * unowned and claimed by the submission).
 */
registerFileOwner(
  'inspection',
  async (deps, actor, ownerId) => {
    if (!UUID.test(ownerId)) return false;
    const p = actor.permissions;
    if (!p.has('inspections.read') && !p.has('inspections.perform') && !p.has('inspections.manage')) return false;
    return repo.inspectionVisible(deps.db, inspectionsPolicy.read(actor), ownerId);
  },
  { canAttach: async () => false },
);
