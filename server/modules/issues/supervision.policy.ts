import type { LetterState } from '../../../contracts/supervision.ts';
import type { Actor } from '../../http/actor.ts';
import { forbidden } from '../../http/errors.ts';
import { requirePermission, scopeFor } from '../../http/policy.ts';
import type { PathScope } from './supervision.repo.ts';

/** The facts of a letter that decide who sees it and who acts on it. */
export type LetterFacts = { unitPath: string; issuerPath: string; state: string };

const asPathScope = (s: { isAll: boolean; rootPath: string }): PathScope => (s.isAll ? { isAll: true } : { isAll: false, rootPath: s.rootPath });

/**
 * 督办函: the office (issues.supervise: city and district admins) sends letters about the issues in
 * its write scope and manages the letters issued from its subtree; the recipient unit (and units
 * under it) sees its letters and replies; city-wide readers (督查员) and the offices above see them.
 */
export const supervisionPolicy = {
  /** the issues an office may put in a letter: their area or responsible unit in its write scope */
  supervise(actor: Actor): PathScope {
    requirePermission(actor, 'issues.supervise', '无权签发督办函');
    return asPathScope(scopeFor(actor, 'write'));
  },
  read(actor: Actor): PathScope {
    if (!actor.permissions.has('issues.supervise') && !actor.permissions.has('issues.read')) throw forbidden('无权查看督办函');
    return asPathScope(scopeFor(actor, 'read'));
  },
  canSee(actor: Actor, l: LetterFacts): boolean {
    const s = this.read(actor);
    return s.isAll || l.unitPath.startsWith(s.rootPath) || l.issuerPath.startsWith(s.rootPath);
  },
  /** a member of the recipient unit (or of a unit under it), while the letter waits for a reply */
  canReply(actor: Actor, l: LetterFacts): boolean {
    return actor.permissions.has('issues.read') && actor.unitPath.startsWith(l.unitPath) && l.state === ('sent' satisfies LetterState);
  },
  /** the issuing office (or one above it) once the unit has replied */
  canReview(actor: Actor, l: LetterFacts): boolean {
    if (!actor.permissions.has('issues.supervise') || l.state !== ('replied' satisfies LetterState)) return false;
    const s = scopeFor(actor, 'write');
    return s.isAll || l.issuerPath.startsWith(s.rootPath);
  },
};
