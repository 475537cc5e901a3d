import type { Permission } from '../../contracts/permissions.ts';

/** The authenticated user as every service and policy sees it. */
export type Actor = {
  userId: string;
  username: string;
  name: string;
  unitId: string;
  /** materialised path of the actor's unit: the root of their data scope */
  unitPath: string;
  roles: string[];
  permissions: ReadonlySet<string>;
  /** the grids the actor works as 网格员: they widen the actor's issue scope */
  gridIds: ReadonlySet<string>;
};

/** What a write needs besides its input: who, from where. Passed explicitly to services. */
export type RequestContext = { actor: Actor; ip: string };

export const hasPermission = (actor: Actor, p: Permission): boolean => actor.permissions.has(p);
