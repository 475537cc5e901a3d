import type { Actor } from '../../http/actor.ts';
import { hasPermission } from '../../http/actor.ts';

/** Jobs are personal: a user sees and acts on the jobs they started; system.jobs (the city office) on all. */
export const jobsPolicy = {
  seesAll: (actor: Actor): boolean => hasPermission(actor, 'system.jobs'),
  canSee: (actor: Actor, job: { actorId: string | null }): boolean => hasPermission(actor, 'system.jobs') || (job.actorId !== null && job.actorId === actor.userId),
};
