import { randomBytes, randomInt } from 'node:crypto';
import {
  AgeBands,
  type Answers,
  type EnumeratorSubmit,
  Identities,
  type PublicRound,
  type QuestionnaireDetail,
  type QuestionnaireModel,
  type QuestionnaireSummary,
  type QuestionnaireVersion,
  type Round,
  type RoundInput,
  type RoundResults,
  type SubmitResponse,
} from '../../../contracts/surveys.ts';
import { answerProblems, isVisible, modelProblems, questionIndex, rateItems } from '../../../domain/survey-model.ts';
import { rateResults } from '../../../domain/survey-rates.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound, staleVersion } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { getUnitsByIds } from '../org/index.ts';
import { smsSender } from './sms.ts';
import { surveysPolicy } from './surveys.policy.ts';
import * as repo from './surveys.repo.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function validationError(problems: { path: string; message: string }[], prefix: string): AppError {
  const details = problems.map((p) => ({ path: `${prefix}${p.path}`, message: p.message }));
  return new AppError('VALIDATION_FAILED', details[0].message, details);
}

const presentVersion = (v: repo.VersionRow): QuestionnaireVersion => ({
  id: v.id,
  questionnaireId: v.questionnaireId,
  number: v.number,
  status: v.status as 'draft' | 'published',
  model: v.model,
  publishedAt: iso(v.publishedAt),
  version: v.version,
  updatedAt: v.updatedAt.toISOString(),
});

// ——— questionnaires ———

export async function listQuestionnaires(deps: Pick<Deps, 'db'>, ctx: RequestContext): Promise<QuestionnaireSummary[]> {
  surveysPolicy.read(ctx.actor);
  const rows = await repo.listQuestionnaires(deps.db);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    latestVersionId: r.latest_id,
    latestNumber: r.latest_number,
    latestStatus: r.latest_status,
    publishedCount: r.published,
    rounds: r.rounds,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

export async function getQuestionnaire(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<QuestionnaireDetail> {
  surveysPolicy.read(ctx.actor);
  const q = await repo.getQuestionnaire(deps.db, id);
  if (!q) throw notFound('问卷');
  return { id: q.id, name: q.name, versions: (await repo.listVersions(deps.db, id)).map(presentVersion) };
}

function checkModel(model: QuestionnaireModel) {
  const problems = modelProblems(model);
  if (problems.length) throw validationError(problems, 'body.model.');
}

export async function createQuestionnaire(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: { name: string; model: QuestionnaireModel }): Promise<QuestionnaireDetail> {
  surveysPolicy.manage(ctx.actor);
  checkModel(input.model);
  const id = newId();
  await deps.db.transaction(async (tx) => {
    await repo.insertQuestionnaire(tx, { id, name: input.name, createdBy: ctx.actor.userId });
    const v = await repo.insertVersion(tx, { id: newId(), questionnaireId: id, number: 1, model: input.model });
    await audit(tx, ctx, { action: 'create', entity: 'survey_questionnaire', entityId: id, after: { name: input.name, versionId: v.id } });
  });
  return getQuestionnaire(deps, ctx, id);
}

/** Saves a draft; a published version is frozen (409), a stale version too (409). */
export async function saveDraft(deps: Pick<Deps, 'db'>, ctx: RequestContext, versionId: string, input: { model: QuestionnaireModel; version: number }): Promise<QuestionnaireVersion> {
  surveysPolicy.manage(ctx.actor);
  checkModel(input.model);
  return deps.db.transaction(async (tx) => {
    const before = await repo.getVersion(tx, versionId, true);
    if (!before) throw notFound('问卷版本');
    if (before.status !== 'draft') throw new AppError('INVALID_STATE', `第 ${before.number} 版已发布，不能再修改；请新建版本后修改`);
    const after = await repo.updateDraft(tx, versionId, input.model, input.version);
    if (!after) throw staleVersion();
    await audit(tx, ctx, { action: 'update', entity: 'survey_version', entityId: versionId, before: { model: before.model }, after: { model: after.model } });
    return presentVersion(after);
  });
}

export async function publishVersion(deps: Pick<Deps, 'db'>, ctx: RequestContext, versionId: string, version: number): Promise<QuestionnaireVersion> {
  surveysPolicy.manage(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const before = await repo.getVersion(tx, versionId, true);
    if (!before) throw notFound('问卷版本');
    if (before.status !== 'draft') throw new AppError('INVALID_STATE', `第 ${before.number} 版已经发布`);
    if (before.version !== version) throw staleVersion();
    const problems = modelProblems(before.model);
    if (problems.length) throw validationError(problems, 'model.');
    const after = await repo.markPublished(tx, versionId, version);
    if (!after) throw staleVersion();
    await audit(tx, ctx, { action: 'publish', entity: 'survey_version', entityId: versionId, after: { number: after.number } });
    return presentVersion(after);
  });
}

/** A new draft copied from the latest version (when the latest is published). */
export async function newVersion(deps: Pick<Deps, 'db'>, ctx: RequestContext, questionnaireId: string): Promise<QuestionnaireVersion> {
  surveysPolicy.manage(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const [latest] = await repo.listVersions(tx, questionnaireId);
    if (!latest) throw notFound('问卷');
    if (latest.status === 'draft') throw new AppError('INVALID_STATE', `第 ${latest.number} 版仍是草稿，请直接修改它`);
    const v = await repo.insertVersion(tx, { id: newId(), questionnaireId, number: latest.number + 1, model: latest.model });
    await audit(tx, ctx, { action: 'new_version', entity: 'survey_version', entityId: v.id, after: { questionnaireId, number: v.number, from: latest.number } });
    return presentVersion(v);
  });
}

// ——— rounds ———

const slugOf = () => randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').toLowerCase();

async function checkRoundInput(tx: Executor, input: RoundInput) {
  const v = await repo.getVersion(tx, input.versionId);
  if (!v) throw new AppError('VALIDATION_FAILED', '问卷版本不存在', [{ path: 'body.versionId', message: '问卷版本不存在' }]);
  if (v.status !== 'published') throw new AppError('VALIDATION_FAILED', '只能用已发布的问卷版本开展调查', [{ path: 'body.versionId', message: '该版本尚未发布' }]);
  const unitIds = [...new Set(input.strata.map((s) => s.areaUnitId).filter((x): x is string => !!x))];
  const units = await getUnitsByIds(tx, unitIds);
  const seen = new Set<string>();
  input.strata.forEach((s, i) => {
    if (s.areaUnitId && !units.some((u) => u.id === s.areaUnitId)) throw new AppError('VALIDATION_FAILED', `第 ${i + 1} 个样本类别的区域不存在`, [{ path: `body.strata.${i}.areaUnitId`, message: '区域不存在' }]);
    const k = `${s.areaUnitId}|${s.ageBand}|${s.identity}`;
    if (seen.has(k)) throw new AppError('VALIDATION_FAILED', `第 ${i + 1} 个样本类别与前面的类别条件相同`, [{ path: `body.strata.${i}`, message: '样本类别重复' }]);
    seen.add(k);
  });
  return v;
}

const strataRows = (roundId: string, input: RoundInput) =>
  input.strata.map((s, i) => ({ id: newId(), roundId, label: s.label, areaUnitId: s.areaUnitId, ageBand: s.ageBand, identity: s.identity, quota: s.quota, population: s.population, sort: i }));

export async function createRound(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: RoundInput): Promise<Round> {
  surveysPolicy.manage(ctx.actor);
  const id = newId();
  await deps.db.transaction(async (tx) => {
    const v = await checkRoundInput(tx, input);
    await repo.insertRound(tx, {
      id,
      questionnaireId: v.questionnaireId,
      versionId: v.id,
      name: input.name,
      slug: slugOf(),
      startsAt: new Date(input.startsAt),
      endsAt: new Date(input.endsAt),
      overQuota: input.overQuota,
      modes: input.modes,
      layers: input.layers,
      createdBy: ctx.actor.userId,
    });
    await repo.insertStrata(tx, strataRows(id, input));
    await audit(tx, ctx, { action: 'create', entity: 'survey_round', entityId: id, after: { ...input } });
  });
  return getRound(deps, ctx, id);
}

/** Changes a round's design while it has not started. */
export async function updateRound(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: RoundInput, version: number): Promise<Round> {
  surveysPolicy.manage(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const before = await repo.getRound(tx, id, true);
    if (!before) throw notFound('调查轮次');
    if (before.version !== version) throw staleVersion();
    if (before.status !== 'draft') throw new AppError('INVALID_STATE', '调查已开始，抽样设计不能再修改');
    const v = await checkRoundInput(tx, input);
    await repo.updateRound(tx, id, version, {
      questionnaireId: v.questionnaireId,
      versionId: v.id,
      name: input.name,
      startsAt: new Date(input.startsAt),
      endsAt: new Date(input.endsAt),
      overQuota: input.overQuota,
      modes: input.modes,
      layers: input.layers,
    });
    await repo.deleteStrata(tx, id);
    await repo.insertStrata(tx, strataRows(id, input));
    await audit(tx, ctx, { action: 'update', entity: 'survey_round', entityId: id, after: { ...input } });
  });
  roundCache.clear();
  return getRound(deps, ctx, id);
}

const TRANSITIONS: Record<'open' | 'close', { from: string; to: string; label: string }> = {
  open: { from: 'draft', to: 'open', label: '开始' },
  close: { from: 'open', to: 'closed', label: '结束' },
};

export async function changeRoundStatus(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, action: 'open' | 'close', version: number): Promise<Round> {
  surveysPolicy.manage(ctx.actor);
  const t = TRANSITIONS[action];
  await deps.db.transaction(async (tx) => {
    const before = await repo.getRound(tx, id, true);
    if (!before) throw notFound('调查轮次');
    if (before.version !== version) throw staleVersion();
    if (before.status !== t.from) throw new AppError('INVALID_STATE', `调查轮次当前为“${before.status === 'open' ? '进行中' : before.status === 'closed' ? '已结束' : '未开始'}”，不能${t.label}`);
    await repo.updateRound(tx, id, version, { status: t.to });
    await audit(tx, ctx, { action, entity: 'survey_round', entityId: id, before: { status: before.status }, after: { status: t.to } });
  });
  roundCache.clear();
  return getRound(deps, ctx, id);
}

export async function listRounds(deps: Pick<Deps, 'db'>, ctx: RequestContext, questionnaireId?: string): Promise<Round[]> {
  surveysPolicy.read(ctx.actor);
  return presentRounds(deps.db, await repo.listRounds(deps.db, questionnaireId));
}

export async function getRound(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Round> {
  surveysPolicy.read(ctx.actor);
  const [r] = await presentRounds(deps.db, [id]);
  if (!r) throw notFound('调查轮次');
  return r;
}

async function presentRounds(db: Executor, ids: string[]): Promise<Round[]> {
  const rounds = (await Promise.all(ids.map((id) => repo.getRound(db, id)))).filter((r): r is repo.RoundRow => !!r);
  const [strata, counts, versions] = await Promise.all([repo.strataOf(db, ids), repo.roundCounts(db, ids), repo.versionsByIds(db, [...new Set(rounds.map((r) => r.versionId))])]);
  return rounds.map((r) => {
    const v = versions.find((x) => x.id === r.versionId)!;
    const c = counts.get(r.id) ?? { responses: 0, tokens: 0, tokensUsed: 0 };
    return {
      id: r.id,
      questionnaireId: r.questionnaireId,
      questionnaireName: v.name,
      versionId: r.versionId,
      versionNumber: v.number,
      name: r.name,
      slug: r.slug,
      status: r.status as Round['status'],
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      overQuota: r.overQuota as Round['overQuota'],
      modes: r.modes as Round['modes'],
      layers: r.layers,
      strata: strata
        .filter((s) => s.roundId === r.id)
        .map((s) => ({ id: s.id, label: s.label, areaUnitId: s.areaUnitId, areaName: s.areaName, ageBand: s.ageBand, identity: s.identity, quota: s.quota, filled: s.filled, overQuota: s.overFilled, population: s.population })),
      ...c,
      version: r.version,
    };
  });
}

/** One-use invitation tokens: returned once (to print), stored as hashes. */
export async function issueTokens(deps: Pick<Deps, 'db' | 'crypto'>, ctx: RequestContext, roundId: string, count: number, labelPrefix: string) {
  surveysPolicy.manage(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const round = await repo.getRound(tx, roundId, true);
    if (!round) throw notFound('调查轮次');
    if (round.status === 'closed') throw new AppError('INVALID_STATE', '调查已结束，不能再生成邀请码');
    if (!round.modes.includes('token')) throw new AppError('BUSINESS_RULE', '本轮调查未启用“入户邀请码”方式');
    const out: { token: string; label: string }[] = [];
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const existing = (await repo.roundCounts(tx, [roundId])).get(roundId)?.tokens ?? 0;
    for (let i = 0; i < count; i++) {
      const token = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
      out.push({ token, label: `${labelPrefix}${String(existing + i + 1).padStart(4, '0')}` });
    }
    await repo.insertTokens(
      tx,
      out.map((t) => ({ tokenHash: tokenHash(deps, t.token), roundId, label: t.label })),
    );
    await audit(tx, ctx, { action: 'issue_tokens', entity: 'survey_tokens', entityId: roundId, after: { count, labelPrefix } });
    return out;
  });
}

const tokenHash = (deps: Pick<Deps, 'crypto'>, token: string) => deps.crypto.lookupHash(`survey-token:${token.trim().toUpperCase()}`);

// ——— answering ———

type CachedRound = { round: repo.RoundRow; model: QuestionnaireModel; strata: repo.StratumRow[]; at: number };
/** Round, model and strata per slug/id for 2 s: the hot path reads them from memory. Cleared on every change in this process. */
const roundCache = new Map<string, CachedRound>();
const CACHE_MS = 2000;

async function loadRound(db: Executor, by: { slug: string } | { id: string }): Promise<CachedRound> {
  const key = 'slug' in by ? `s:${by.slug}` : `i:${by.id}`;
  const hit = roundCache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit;
  const round = 'slug' in by ? await repo.getRoundBySlug(db, by.slug) : await repo.getRound(db, by.id);
  if (!round) throw new AppError('NOT_FOUND', '问卷不存在或链接有误');
  const [v] = await repo.versionsByIds(db, [round.versionId]);
  const strata = await repo.strataOf(db, [round.id]);
  const c = { round, model: v.model, strata, at: Date.now() };
  roundCache.set(key, c);
  return c;
}

function openMessage(r: repo.RoundRow, now = new Date()): string | null {
  if (r.status === 'draft' || now < r.startsAt) return '调查尚未开始，请在调查期间内填写';
  if (r.status === 'closed' || now > r.endsAt) return '本轮调查已结束，感谢您的关注';
  return null;
}

export async function publicRound(deps: Pick<Deps, 'db'>, slug: string): Promise<PublicRound> {
  const c = await loadRound(deps.db, { slug });
  const message = openMessage(c.round);
  const areas = new Map<string, string>();
  for (const s of c.strata) if (s.areaUnitId) areas.set(s.areaUnitId, s.areaName ?? '');
  const bands = [...new Set(c.strata.map((s) => s.ageBand).filter((x): x is string => !!x))];
  const ids = [...new Set(c.strata.map((s) => s.identity).filter((x): x is string => !!x))];
  const L = c.round.layers;
  return {
    id: c.round.id,
    slug: c.round.slug,
    name: c.round.name,
    status: c.round.status as PublicRound['status'],
    open: message === null,
    message,
    model: c.model,
    needs: { token: L.token, phone: L.phone, idNumber: L.idNumber, device: L.device },
    choices: {
      areas: [...areas].map(([id, name]) => ({ id, name })),
      ageBands: bands.map((b) => ({ value: b, label: AgeBands[b as keyof typeof AgeBands] ?? b })),
      identities: ids.map((i) => ({ value: i, label: Identities[i as keyof typeof Identities] ?? i })),
    },
  };
}

export async function sendOtp(deps: Pick<Deps, 'db' | 'crypto'>, slug: string, phone: string): Promise<void> {
  const c = await loadRound(deps.db, { slug });
  const closed = openMessage(c.round);
  if (closed) throw new AppError('INVALID_STATE', closed);
  if (!c.round.layers.phone) throw new AppError('BUSINESS_RULE', '本问卷不需要手机验证');
  const code = String(randomInt(1_000_000)).padStart(6, '0');
  await repo.upsertOtp(deps.db, c.round.id, deps.crypto.lookupHash(`phone:${phone}`), deps.crypto.lookupHash(`otp:${code}`), new Date(Date.now() + 10 * 60_000));
  await smsSender.current.send(phone, `【创文通】您的问卷验证码为 ${code}，10 分钟内有效。`);
}

/** A refusal by one anti-duplicate layer (or the quota): counted for the results, nothing stored. */
class Refusal extends AppError {
  constructor(
    readonly layer: string,
    code: 'DUPLICATE' | 'BUSINESS_RULE' | 'VALIDATION_FAILED' | 'NOT_FOUND',
    message: string,
    path?: string,
  ) {
    super(code, message, path ? [{ path, message }] : undefined);
  }
}

function matchStratum(c: CachedRound, d: SubmitResponse['demographics']): repo.StratumRow {
  const usesArea = c.strata.some((s) => s.areaUnitId);
  const usesAge = c.strata.some((s) => s.ageBand);
  const usesIdentity = c.strata.some((s) => s.identity);
  if (usesArea && !d.areaUnitId) throw new AppError('VALIDATION_FAILED', '请选择您所在的区域', [{ path: 'body.demographics.areaUnitId', message: '请选择您所在的区域' }]);
  if (usesAge && !d.ageBand) throw new AppError('VALIDATION_FAILED', '请选择您的年龄段', [{ path: 'body.demographics.ageBand', message: '请选择您的年龄段' }]);
  if (usesIdentity && !d.identity) throw new AppError('VALIDATION_FAILED', '请选择您的身份', [{ path: 'body.demographics.identity', message: '请选择您的身份' }]);
  const matches = c.strata.filter(
    (s) => (!s.areaUnitId || s.areaUnitId === d.areaUnitId) && (!s.ageBand || s.ageBand === d.ageBand) && (!s.identity || s.identity === d.identity),
  );
  if (matches.length === 0) throw new AppError('VALIDATION_FAILED', '您所在的区域、年龄段或身份不在本轮调查范围内，感谢您的关注', [{ path: 'body.demographics', message: '不在本轮调查的样本范围内' }]);
  const specificity = (s: repo.StratumRow) => Number(!!s.areaUnitId) + Number(!!s.ageBand) + Number(!!s.identity);
  return matches.sort((a, b) => specificity(b) - specificity(a))[0];
}

type SubmitMeta = { ip: string; enumerator?: { ctx: RequestContext; input: EnumeratorSubmit } };

/**
 * Stores one response, whole or not at all. In one transaction: the token is used, the identity
 * and device claimed, one place of the stratum's quota taken (`filled < quota` in the UPDATE
 * itself, so concurrent answers never over-fill it), the network count raised, the response
 * inserted. Any refusal rolls all of it back and is then counted for its layer.
 */
export async function submit(deps: Pick<Deps, 'db' | 'crypto'>, by: { slug: string } | { id: string }, input: SubmitResponse, meta: SubmitMeta) {
  const c = await loadRound(deps.db, by);
  const closed = openMessage(c.round);
  if (closed) throw new AppError('INVALID_STATE', closed);
  const enumerator = meta.enumerator;
  if (enumerator && !c.round.modes.includes('enumerator')) throw new AppError('BUSINESS_RULE', '本轮调查未启用调查员入户/街访方式');
  const L = c.round.layers;
  const thanks = c.model.thanks;

  const existing = await repo.findResponseByKey(deps.db, c.round.id, input.clientKey);
  if (existing) return { id: existing.id, duplicate: true, overQuota: existing.overQuota, thanks };

  const problems = answerProblems(c.model, input.answers);
  if (problems.length) throw validationError(problems, 'body.');
  const stratum = matchStratum(c, input.demographics);

  if (!enumerator) {
    if (!c.round.modes.includes('public') && !input.token) throw new Refusal('token', 'VALIDATION_FAILED', '本问卷需凭邀请码填写', 'body.token');
    if (L.token && !input.token) throw new Refusal('token', 'VALIDATION_FAILED', '请输入入户邀请码', 'body.token');
    if (L.device && !input.deviceToken) throw new AppError('VALIDATION_FAILED', '缺少设备标识，请在手机浏览器或微信中打开问卷链接', [{ path: 'body.deviceToken', message: '缺少设备标识' }]);
  }
  if (L.phone && (!input.phone || !input.otp)) throw new AppError('VALIDATION_FAILED', '请填写手机号和短信验证码', [{ path: input.phone ? 'body.otp' : 'body.phone', message: '请填写手机号和短信验证码' }]);
  if (L.idNumber && !input.idNumber) throw new AppError('VALIDATION_FAILED', '请填写身份证号', [{ path: 'body.idNumber', message: '请填写身份证号' }]);

  const ipHash = deps.crypto.lookupHash(`ip:${meta.ip}`);
  const flags: string[] = [];
  if (input.startedAt) {
    const visible = [...questionIndex(c.model).values()].filter((q) => isVisible(c.model, q, input.answers)).length;
    const secs = (Date.now() - Date.parse(input.startedAt)) / 1000;
    if (secs >= 0 && secs < visible * 1.5) flags.push('speeder');
  }
  const id = newId();
  let overQuota = false;
  try {
    await deps.db.transaction(async (tx) => {
      if (input.token && (L.token || c.round.modes.includes('token'))) {
        const t = await repo.consumeToken(tx, c.round.id, tokenHash(deps, input.token));
        if (t === 'used') throw new Refusal('token', 'DUPLICATE', '该邀请码已使用过，每个邀请码只能填写一次');
        if (t === 'unknown') throw new Refusal('token', 'NOT_FOUND', '邀请码无效，请核对后重新输入', 'body.token');
      }
      if (L.phone) {
        const phoneHash = deps.crypto.lookupHash(`phone:${input.phone}`);
        if (!(await repo.consumeOtp(tx, c.round.id, phoneHash, deps.crypto.lookupHash(`otp:${input.otp}`)))) {
          throw new AppError('VALIDATION_FAILED', '短信验证码不正确或已过期', [{ path: 'body.otp', message: '短信验证码不正确或已过期' }]);
        }
        if (!(await repo.claimIdentity(tx, c.round.id, 'phone', phoneHash))) throw new Refusal('phone', 'DUPLICATE', '该手机号已填写过本问卷，感谢您的参与');
      }
      if (L.idNumber && !(await repo.claimIdentity(tx, c.round.id, 'id', deps.crypto.lookupHash(`id:${input.idNumber!.toUpperCase()}`)))) {
        throw new Refusal('idNumber', 'DUPLICATE', '该身份证号已填写过本问卷，感谢您的参与');
      }
      if (!enumerator && L.device && !(await repo.claimIdentity(tx, c.round.id, 'device', deps.crypto.lookupHash(`device:${input.deviceToken}`)))) {
        throw new Refusal('device', 'DUPLICATE', '您已在本设备上填写过本问卷，感谢您的参与');
      }
      if (!enumerator && L.networkFlagAbove !== null && (await repo.bumpNetwork(tx, c.round.id, ipHash)) > L.networkFlagAbove) flags.push('network');
      // the stratum's row is the one every answer of the stratum updates: taken last, so that its
      // lock is held only through the insert and the commit
      if (!(await repo.takeQuota(tx, stratum.id))) {
        if (c.round.overQuota === 'refuse') throw new Refusal('quota', 'BUSINESS_RULE', `“${stratum.label}”的样本已满，感谢您的参与`);
        overQuota = true;
        await repo.countOverQuota(tx, stratum.id);
      }
      await repo.insertResponse(tx, {
        id,
        roundId: c.round.id,
        versionId: c.round.versionId,
        stratumId: stratum.id,
        clientKey: input.clientKey,
        answers: input.answers as Answers,
        mode: enumerator ? `enumerator_${enumerator.input.kind}` : input.token ? 'token' : 'public',
        surveyorId: enumerator?.ctx.actor.userId ?? null,
        place: enumerator?.input.place || null,
        lng: enumerator?.input.lng ?? null,
        lat: enumerator?.input.lat ?? null,
        collectedAt: enumerator ? new Date(enumerator.input.collectedAt) : null,
        overQuota,
        flags,
        ipHash: enumerator ? null : ipHash,
        durationSec: input.startedAt ? Math.max(0, Math.round((Date.now() - Date.parse(input.startedAt)) / 1000)) : null,
      });
      if (enumerator) {
        await audit(tx, enumerator.ctx, { action: 'collect', entity: 'survey_response', entityId: id, after: { roundId: c.round.id, stratum: stratum.label, place: enumerator.input.place, collectedAt: enumerator.input.collectedAt } });
      }
    });
  } catch (err) {
    if (err instanceof Refusal) {
      await repo.bumpLayer(deps.db, c.round.id, err.layer, 'refused');
      throw err;
    }
    // the same key sent twice at once: the second insert meets the unique key; answer like a retry
    if ((err as { cause?: { code?: string } }).cause?.code === '23505' || (err as { code?: string }).code === '23505') {
      const again = await repo.findResponseByKey(deps.db, c.round.id, input.clientKey);
      if (again) return { id: again.id, duplicate: true, overQuota: again.overQuota, thanks };
    }
    throw err;
  }
  for (const f of flags) await repo.bumpLayer(deps.db, c.round.id, f, 'flagged');
  return { id, duplicate: false, overQuota, thanks };
}

// ——— results ———

export const LayerLabels: Record<string, string> = {
  token: '邀请码',
  phone: '手机号验证',
  idNumber: '身份证号',
  device: '设备标识',
  network: '网络地址',
  quota: '配额已满',
  speeder: '答题过快',
};

export async function roundResults(deps: Pick<Deps, 'db'>, ctx: RequestContext, roundId: string): Promise<RoundResults> {
  surveysPolicy.read(ctx.actor);
  const round = await repo.getRound(deps.db, roundId);
  if (!round) throw notFound('调查轮次');
  const [[v], strata] = await Promise.all([repo.versionsByIds(deps.db, [round.versionId]), repo.strataOf(deps.db, [roundId])]);
  const [counts, summary] = await Promise.all([repo.itemCounts(deps.db, roundId, rateItems(v.model.rates)), repo.responseSummary(deps.db, roundId)]);
  const L = round.layers;
  const active = [L.token && 'token', L.phone && 'phone', L.idNumber && 'idNumber', L.device && 'device', L.networkFlagAbove !== null && 'network'].filter((x): x is string => !!x);
  const refused: Record<string, number> = {};
  const flagged: Record<string, number> = {};
  for (const l of summary.layers) {
    if (l.refused) refused[l.layer] = l.refused;
  }
  Object.assign(flagged, summary.flags);
  return {
    roundId,
    name: round.name,
    responses: summary.total,
    overQuota: summary.over,
    flagged,
    refused,
    activeLayers: active,
    byMode: summary.byMode,
    rates: rateResults(
      v.model,
      strata.map((s) => ({ id: s.id, label: s.label, population: s.population })),
      counts,
    ),
  };
}

/** Each rate across the questionnaire's rounds (any version: rates are matched by their id). */
export async function rateTrend(deps: Pick<Deps, 'db'>, ctx: RequestContext, questionnaireId: string) {
  surveysPolicy.read(ctx.actor);
  const rounds = await repo.closedRoundsOf(deps.db, questionnaireId);
  const results = await Promise.all(rounds.map((r) => roundResults(deps, ctx, r.id)));
  const byRate = new Map<string, { id: string; name: string; target: number | null; points: { roundId: string; round: string; endsAt: string; rate: number | null; weighted: number | null; n: number }[] }>();
  results.forEach((res, i) => {
    for (const rate of res.rates) {
      let e = byRate.get(rate.id);
      if (!e) {
        e = { id: rate.id, name: rate.name, target: rate.target, points: [] };
        byRate.set(rate.id, e);
      }
      e.target = rate.target;
      e.points.push({ roundId: res.roundId, round: res.name, endsAt: rounds[i].endsAt.toISOString(), rate: rate.overall.rate, weighted: rate.weighted?.rate ?? null, n: rate.overall.denominator });
    }
  });
  return { questionnaireId, rates: [...byRate.values()] };
}

export async function responsesForRecompute(deps: Pick<Deps, 'db'>, ctx: RequestContext, roundId: string) {
  surveysPolicy.read(ctx.actor);
  return repo.rawResponses(deps.db, roundId);
}
