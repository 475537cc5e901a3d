import {
  CHILD_LEVEL,
  type CopyIndicatorSystemRequest,
  type CreateIndicatorNodeRequest,
  type CreateIndicatorSystemRequest,
  type EvaluationMethod,
  type IndicatorLevel,
  type IndicatorNode,
  type IndicatorSystem,
  type IndicatorTree,
  type IndicatorTreeQuery,
  type ListIndicatorSystemsQuery,
  type NodeHistoryEntry,
  type UpdateIndicatorNodeRequest,
  type UpdateIndicatorSystemRequest,
} from '../../../contracts/indicators.ts';
import { codeMatchesQuery, normalizeSearch, treeOrder } from '../../../domain/indicator-tree.ts';
import { childPath } from '../../../domain/org.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound, staleVersion } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { indicatorsPolicy } from './indicators.policy.ts';

export { treeOrder };
import * as repo from './indicators.repo.ts';
import * as tasksRepo from './tasks.repo.ts';

type IndDeps = Pick<Deps, 'db'>;

const iso = (v: string | Date): string => new Date(v).toISOString();
export const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);

export function presentSystem(r: repo.SystemViewRow): IndicatorSystem {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    year: r.year,
    edition: r.edition,
    status: r.status,
    totalScore: r.total_score,
    scoreSum: Math.round(Number(r.score_sum) * 100) / 100,
    description: r.description,
    copiedFromId: r.copied_from_id,
    copiedFromName: r.copied_from_name,
    counts: { items: r.items, contents: r.contents, standards: r.standards, tasks: r.tasks },
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function presentNode(n: repo.NodeViewRow): IndicatorNode {
  return {
    id: n.id,
    systemId: n.systemId,
    parentId: n.parentId,
    level: n.level as IndicatorLevel,
    code: n.code,
    text: n.text,
    score: n.score,
    methods: n.methods as EvaluationMethod[],
    materials: n.materials,
    sort: n.sort,
    isActive: n.isActive,
    taskCount: n.taskCount,
    version: n.version,
    updatedAt: iso(n.updatedAt),
  };
}

/** The fields of a node that its history records. */
export const nodeSnapshot = (n: Pick<repo.NodeRow, 'code' | 'text' | 'score' | 'methods' | 'materials' | 'sort' | 'isActive'>) => ({
  code: n.code,
  text: n.text,
  score: n.score,
  methods: n.methods,
  materials: n.materials,
  sort: n.sort,
  isActive: n.isActive,
});

async function requireSystem(db: Executor, id: string, forUpdate = false): Promise<repo.SystemRow> {
  const s = await repo.getSystem(db, id, forUpdate);
  if (!s) throw notFound('测评体系');
  return s;
}

async function systemOut(db: Executor, id: string): Promise<IndicatorSystem> {
  const v = await repo.getSystemView(db, id);
  if (!v) throw notFound('测评体系');
  return presentSystem(v);
}

// ─── systems ──────────────────────────────────────────────────────────────────

export async function listSystems(deps: IndDeps, ctx: RequestContext, q: ListIndicatorSystemsQuery): Promise<IndicatorSystem[]> {
  indicatorsPolicy.read(ctx.actor);
  return (await repo.listSystems(deps.db, q)).map(presentSystem);
}

export async function getSystem(deps: IndDeps, ctx: RequestContext, id: string): Promise<IndicatorSystem> {
  indicatorsPolicy.read(ctx.actor);
  return systemOut(deps.db, id);
}

export async function createSystem(deps: IndDeps, ctx: RequestContext, input: CreateIndicatorSystemRequest): Promise<IndicatorSystem> {
  indicatorsPolicy.manageSystems(ctx.actor);
  const id = newId();
  await deps.db.transaction(async (tx) => {
    const edition = 1;
    const row = {
      id,
      name: input.name,
      kind: input.kind,
      year: input.year,
      edition,
      status: 'draft',
      totalScore: input.totalScore ?? null,
      description: input.description,
      createdBy: ctx.actor.userId,
    };
    await repo.insertSystem(tx, row);
    await audit(tx, ctx, { action: 'create', entity: 'indicator_system', entityId: id, after: row });
  });
  return systemOut(deps.db, id);
}

export async function updateSystem(deps: IndDeps, ctx: RequestContext, id: string, input: UpdateIndicatorSystemRequest): Promise<IndicatorSystem> {
  indicatorsPolicy.manageSystems(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const before = await requireSystem(tx, id, true);
    if (before.version !== input.version) throw staleVersion();
    const { version, ...set } = input;
    if (!(await repo.updateSystem(tx, id, version, set))) throw staleVersion();
    await audit(tx, ctx, {
      action: 'update',
      entity: 'indicator_system',
      entityId: id,
      before: { name: before.name, status: before.status, totalScore: before.totalScore, description: before.description },
      after: set,
    });
  });
  return systemOut(deps.db, id);
}

/**
 * Copies a system into the next edition: every active node (new ids, same codes and texts, a
 * `copy` history row each), and with includeTasks the tasks with their units and 联络员 (as not
 * started; reports stay with the original).
 */
export async function copySystem(deps: IndDeps, ctx: RequestContext, id: string, input: CopyIndicatorSystemRequest): Promise<IndicatorSystem> {
  indicatorsPolicy.manageSystems(ctx.actor);
  const newSystemId = newId();
  await deps.db.transaction(async (tx) => {
    const src = await requireSystem(tx, id);
    const year = input.year ?? src.year;
    const edition = await repo.nextEditionInLineage(tx, src.id, year);
    const name = input.name ?? (year === src.year ? `${src.name.replace(/（第\d+版）$/, '')}（第${edition}版）` : src.name.replaceAll(String(src.year), String(year)));
    await repo.insertSystem(tx, {
      id: newSystemId,
      name,
      kind: src.kind,
      year,
      edition,
      status: 'draft',
      totalScore: src.totalScore,
      description: src.description,
      copiedFromId: src.id,
      createdBy: ctx.actor.userId,
    });
    const nodes = treeOrder(await repo.listNodes(tx, src.id, false));
    const map = new Map<string, { id: string; path: string }>();
    const rows: repo.NodeInsert[] = [];
    for (const n of nodes) {
      const parent = n.parentId ? map.get(n.parentId) : undefined;
      if (n.parentId && !parent) continue;
      const nid = newId();
      const path = childPath(parent?.path ?? '/', nid);
      map.set(n.id, { id: nid, path });
      rows.push({ id: nid, systemId: newSystemId, parentId: parent?.id ?? null, level: n.level, code: n.code, text: n.text, score: n.score, methods: n.methods, materials: n.materials, sort: n.sort, path });
    }
    await repo.insertNodes(tx, rows);
    await repo.insertHistory(
      tx,
      rows.map((r) => ({ nodeId: r.id, systemId: newSystemId, action: 'copy', before: null, after: { ...nodeSnapshot({ ...r, score: r.score ?? null, methods: r.methods ?? [], materials: r.materials ?? '', sort: r.sort ?? 0, isActive: true }), copiedFrom: src.id }, actorId: ctx.actor.userId })),
    );
    let taskCount = 0;
    if (input.includeTasks) taskCount = await tasksRepo.copyTasks(tx, src.id, newSystemId, new Map([...map].map(([k, v]) => [k, v.id])), ctx.actor.userId);
    await audit(tx, ctx, { action: 'copy', entity: 'indicator_system', entityId: newSystemId, before: { id: src.id, name: src.name, edition: src.edition }, after: { name, year, edition, nodes: rows.length, tasks: taskCount } });
  });
  return systemOut(deps.db, newSystemId);
}

// ─── tree and nodes ───────────────────────────────────────────────────────────

export async function getTree(deps: IndDeps, ctx: RequestContext, id: string, q: IndicatorTreeQuery): Promise<IndicatorTree> {
  indicatorsPolicy.read(ctx.actor);
  const system = await systemOut(deps.db, id);
  const all = treeOrder(await repo.listNodes(deps.db, id, q.includeInactive ?? false));
  if (!q.q) return { system, nodes: all.map(presentNode), matchIds: [] };
  const query = q.q;
  const needle = normalizeSearch(query);
  const byId = new Map(all.map((n) => [n.id, n]));
  const matches = all.filter((n) => codeMatchesQuery(n.code, query) || normalizeSearch(n.text).includes(needle) || normalizeSearch(n.materials).includes(needle));
  const keep = new Set<string>();
  for (const m of matches) {
    for (let n: repo.NodeViewRow | undefined = m; n && !keep.has(n.id); n = n.parentId ? byId.get(n.parentId) : undefined) keep.add(n.id);
  }
  return { system, nodes: all.filter((n) => keep.has(n.id)).map(presentNode), matchIds: matches.map((m) => m.id) };
}

export async function createNode(deps: IndDeps, ctx: RequestContext, systemId: string, input: CreateIndicatorNodeRequest): Promise<IndicatorNode> {
  indicatorsPolicy.manageSystems(ctx.actor);
  const id = newId();
  await deps.db.transaction(async (tx) => {
    const system = await requireSystem(tx, systemId, true);
    if (system.status === 'archived') throw new AppError('INVALID_STATE', '测评体系已归档，不能修改');
    let level: IndicatorLevel = 'item';
    let path = childPath('/', id);
    if (input.parentId) {
      const parent = await repo.getNode(tx, input.parentId);
      if (!parent || parent.systemId !== systemId) throw invalid('body.parentId', '上级节点不存在或不属于该测评体系');
      if (!parent.isActive) throw invalid('body.parentId', '上级节点已停用');
      const child = CHILD_LEVEL[parent.level as IndicatorLevel];
      if (!child) throw invalid('body.parentId', '测评标准下不能再添加节点');
      level = child;
      path = childPath(parent.path, id);
    }
    if (await repo.activeCodeTaken(tx, systemId, input.code, null)) throw invalid('body.code', `编号「${input.code}」已存在`);
    const row: repo.NodeInsert = {
      id,
      systemId,
      parentId: input.parentId,
      level,
      code: input.code,
      text: input.text,
      score: input.score ?? null,
      methods: input.methods,
      materials: input.materials,
      sort: input.sort ?? (await repo.maxSort(tx, systemId, input.parentId)) + 1,
      path,
    };
    await repo.insertNodes(tx, [row]);
    const after = nodeSnapshot({ code: row.code, text: row.text, score: row.score ?? null, methods: input.methods, materials: input.materials, sort: row.sort ?? 0, isActive: true });
    await repo.insertHistory(tx, [{ nodeId: id, systemId, action: 'create', before: null, after, actorId: ctx.actor.userId }]);
    await repo.touchSystem(tx, systemId);
    await audit(tx, ctx, { action: 'create', entity: 'indicator_node', entityId: id, after: { systemId, level, ...after } });
  });
  return presentNode((await repo.getNode(deps.db, id))!);
}

export async function updateNode(deps: IndDeps, ctx: RequestContext, id: string, input: UpdateIndicatorNodeRequest): Promise<IndicatorNode> {
  indicatorsPolicy.manageSystems(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const before = await repo.getNode(tx, id, true);
    if (!before) throw notFound('测评节点');
    const system = await requireSystem(tx, before.systemId, true);
    if (system.status === 'archived') throw new AppError('INVALID_STATE', '测评体系已归档，不能修改');
    if (before.version !== input.version) throw staleVersion();
    const { version, ...set } = input;
    const isActive = set.isActive ?? before.isActive;
    if (set.isActive === true && !before.isActive && before.parentId) {
      const parent = await repo.getNode(tx, before.parentId);
      if (parent && !parent.isActive) throw invalid('body.isActive', '上级节点已停用，请先恢复上级节点');
    }
    const code = set.code ?? before.code;
    if (isActive && (code !== before.code || !before.isActive) && (await repo.activeCodeTaken(tx, before.systemId, code, id))) throw invalid('body.code', `编号「${code}」已存在`);
    if (!(await repo.updateNode(tx, id, version, set))) throw staleVersion();
    const after = nodeSnapshot({ ...before, ...set });
    const history: repo.HistoryInsert[] = [];
    const action = set.isActive === false && before.isActive ? 'deactivate' : set.isActive === true && !before.isActive ? 'reactivate' : 'update';
    history.push({ nodeId: id, systemId: before.systemId, action, before: nodeSnapshot(before), after, actorId: ctx.actor.userId });
    // a node switched off takes its subtree with it; switched on, it brings it back
    if (set.isActive !== undefined && set.isActive !== before.isActive) {
      const changed = await repo.setDescendantsActive(tx, before.systemId, before.path, set.isActive);
      for (const c of changed) {
        history.push({ nodeId: c.id, systemId: before.systemId, action, before: nodeSnapshot(c), after: nodeSnapshot({ ...c, isActive: set.isActive }), actorId: ctx.actor.userId });
      }
    }
    await repo.insertHistory(tx, history);
    await repo.touchSystem(tx, before.systemId);
    await audit(tx, ctx, { action, entity: 'indicator_node', entityId: id, before: nodeSnapshot(before), after: { ...after, descendants: history.length - 1 } });
  });
  return presentNode((await repo.getNode(deps.db, id))!);
}

export async function nodeHistory(deps: IndDeps, ctx: RequestContext, id: string): Promise<NodeHistoryEntry[]> {
  indicatorsPolicy.read(ctx.actor);
  if (!(await repo.getNode(deps.db, id))) throw notFound('测评节点');
  return (await repo.listHistory(deps.db, id)).map((h) => ({
    id: Number(h.id),
    nodeId: h.node_id,
    action: h.action as NodeHistoryEntry['action'],
    before: h.before,
    after: h.after,
    actorName: h.actor_name,
    at: iso(h.at),
  }));
}
