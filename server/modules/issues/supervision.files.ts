import { registerFileOwner } from '../files/index.ts';
import { supervisionPolicy } from './supervision.policy.ts';
import * as repo from './supervision.repo.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/*
 * Files of a 督办函 (the generated Word document, the unit's reply attachments): readable by whoever
 * may see the letter; attachable by whoever may reply to it now.
 */
registerFileOwner(
  'supervision_letter',
  async (deps, actor, ownerId) => {
    if (!UUID.test(ownerId)) return false;
    const l = await repo.getLetter(deps.db, ownerId);
    if (!l) return false;
    try {
      return supervisionPolicy.canSee(actor, l);
    } catch {
      return false;
    }
  },
  {
    canAttach: async (deps, actor, ownerId) => {
      if (!UUID.test(ownerId)) return false;
      const l = await repo.getLetter(deps.db, ownerId);
      return !!l && supervisionPolicy.canReply(actor, l);
    },
  },
);
