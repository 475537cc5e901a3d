import type { Actor } from '../../../http/actor.ts';
import { registerFileOwner } from '../../files/index.ts';
import type { Executor } from '../../../db/client.ts';
import { evidencePolicy } from './evidence.policy.ts';
import * as repo from './evidence.repo.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function itemOf(db: Executor, id: string) {
  return UUID.test(id) ? repo.getItem(db, id) : undefined;
}

/*
 * Files of an evidence item: downloadable by whoever may see the item (the unit itself, its
 * superiors, reviewers and city-wide readers: evidencePolicy.canSee); attachable only by the
 * item's own unit while the item is 待提交 or 退回 (the service attaches them at save or submit).
 */
registerFileOwner(
  'evidence_item',
  async (deps, actor: Actor, ownerId) => {
    const row = await itemOf(deps.db, ownerId);
    return !!row && evidencePolicy.canSee(actor, row);
  },
  {
    canAttach: async (deps, actor: Actor, ownerId) => {
      const row = await itemOf(deps.db, ownerId);
      return !!row && evidencePolicy.canFile(actor, row) && (row.state === 'draft' || row.state === 'returned');
    },
  },
);
