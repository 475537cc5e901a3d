import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../../http/actor.ts';
import { forbidden } from '../../../http/errors.ts';
import { inScope, requireCityLevel, requirePermission, type Scope, scopeFor } from '../../../http/policy.ts';

/** The facts of one evidence item that decide who may see, file and review it. */
export type EvidenceFacts = { unitId: string; unitPath: string };

const anyEvidence = (a: Actor) => ['evidence.read', 'evidence.submit', 'evidence.review', 'evidence.manage'].some((p) => a.permissions.has(p));

/**
 * Who may do what with evidence:
 *  - SEE: an item of a unit in the actor's read scope (the unit itself and its superiors; the city
 *    office and holders of scope.city.read everything), with any evidence permission. A unit never
 *    sees a neighbour's evidence: its scope is its own subtree.
 *  - FILE (save, submit, resubmit): evidence.submit, and the item belongs to the actor's own unit.
 *  - REVIEW (approve, return): evidence.review, the item's unit in the actor's write scope (their
 *    subtree), and not the actor's own unit (nobody approves their own evidence).
 *  - MANAGE requirements and generation: evidence.manage.
 */
export const evidencePolicy = {
  read(actor: Actor): Scope {
    if (!anyEvidence(actor)) throw forbidden('无权查看材料');
    return scopeFor(actor, 'read');
  },
  canSee(actor: Actor, item: EvidenceFacts): boolean {
    return anyEvidence(actor) && inScope(scopeFor(actor, 'read'), item.unitPath);
  },
  canFile(actor: Actor, item: EvidenceFacts): boolean {
    return actor.permissions.has('evidence.submit') && actor.unitId === item.unitId;
  },
  canReview(actor: Actor, item: EvidenceFacts): boolean {
    return actor.permissions.has('evidence.review') && inScope(scopeFor(actor, 'write'), item.unitPath) && actor.unitId !== item.unitId;
  },
  requireFile(actor: Actor, item: EvidenceFacts): void {
    requirePermission(actor, 'evidence.submit', '无权报送材料');
    if (actor.unitId !== item.unitId) throw forbidden('只能报送本单位的材料');
  },
  requireReview(actor: Actor, item: EvidenceFacts): void {
    requirePermission(actor, 'evidence.review', '无权审核材料');
    if (actor.unitId === item.unitId) throw forbidden('不能审核本单位报送的材料');
    if (!inScope(scopeFor(actor, 'write'), item.unitPath)) throw forbidden('该材料不在您的审核范围内');
  },
  reviewScope(actor: Actor): Scope {
    requirePermission(actor, 'evidence.review', '无权审核材料');
    return scopeFor(actor, 'write');
  },
  manage(actor: Actor): void {
    requireCityLevel(actor, 'evidence.manage', '材料要求为全市统一设置，仅市级管理员可维护');
  },
};

/** The read scope as a condition on `evidence_items e`; undefined = everything. */
export function evidenceScopeCond(scope: Scope): SQL | undefined {
  return scope.isAll ? undefined : sql`e.unit_path LIKE ${`${scope.rootPath}%`}`;
}
