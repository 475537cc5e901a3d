import { randomBytes } from 'node:crypto';
import type { AttemptPaper, AttemptResult, Leaderboard, PublicQuiz, Quiz, QuizInput, QuizQuestion, QuizQuestionInput } from '../../../contracts/surveys.ts';
import { drawQuestions, leaderboard, scoreQuestion } from '../../../domain/quiz.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../http/errors.ts';
import { scopeFor } from '../../http/policy.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { getUnitsByIds } from '../org/index.ts';
import * as repo from './quizzes.repo.ts';
import { surveysPolicy } from './surveys.policy.ts';

const presentQuestion = (q: repo.QuestionRow): QuizQuestion => ({
  id: q.id,
  code: q.code,
  version: q.version,
  category: q.category,
  type: q.type as QuizQuestion['type'],
  stem: q.stem,
  options: q.options,
  answer: q.answer,
  explanation: q.explanation,
  source: q.source,
  status: q.status as QuizQuestion['status'],
  createdAt: q.createdAt.toISOString(),
});

// ——— the bank ———

export async function listBank(deps: Pick<Deps, 'db'>, ctx: RequestContext, filter: { category?: string; includeRetired?: boolean }) {
  surveysPolicy.readQuizzes(ctx.actor);
  return (await repo.listQuestions(deps.db, filter)).map(presentQuestion);
}

export async function addQuestions(deps: Pick<Deps, 'db'>, ctx: RequestContext, inputs: QuizQuestionInput[]): Promise<QuizQuestion[]> {
  surveysPolicy.manageQuizzes(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const first = Number((await repo.nextCode(tx)).slice(2));
    const rows = inputs.map((q, i) => ({ id: newId(), code: `ZS${String(first + i).padStart(4, '0')}`, version: 1, ...q, createdBy: ctx.actor.userId }));
    await repo.insertQuestions(tx, rows);
    await audit(tx, ctx, ...rows.map((r) => ({ action: 'create', entity: 'quiz_question', entityId: r.id, after: { code: r.code, stem: r.stem } })));
    return (await repo.questionsByIds(tx, rows.map((r) => r.id))).map(presentQuestion);
  });
}

/** A change to a question is its next version; the previous one is retired (attempts keep it). */
export async function reviseQuestion(deps: Pick<Deps, 'db'>, ctx: RequestContext, code: string, input: QuizQuestionInput, version: number): Promise<QuizQuestion> {
  surveysPolicy.manageQuizzes(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const cur = await repo.activeByCode(tx, code, true);
    if (!cur) throw notFound('题目');
    if (cur.version !== version) throw staleVersion();
    await repo.retire(tx, cur.id);
    const id = newId();
    await repo.insertQuestions(tx, [{ id, code, version: cur.version + 1, ...input, createdBy: ctx.actor.userId }]);
    await audit(tx, ctx, { action: 'revise', entity: 'quiz_question', entityId: id, before: { version: cur.version, stem: cur.stem, answer: cur.answer }, after: { version: cur.version + 1, stem: input.stem, answer: input.answer } });
    const [row] = await repo.questionsByIds(tx, [id]);
    return presentQuestion(row);
  });
}

export async function retireQuestion(deps: Pick<Deps, 'db'>, ctx: RequestContext, code: string): Promise<void> {
  surveysPolicy.manageQuizzes(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const cur = await repo.activeByCode(tx, code, true);
    if (!cur) throw notFound('题目');
    await repo.retire(tx, cur.id);
    await audit(tx, ctx, { action: 'retire', entity: 'quiz_question', entityId: cur.id, before: { code, version: cur.version } });
  });
}

// ——— quizzes ———

const questionCount = (q: repo.QuizRow) => (q.mode === 'fixed' ? q.fixedQuestionIds.length : q.draw.reduce((t, d) => t + d.count, 0));

async function presentQuiz(deps: Pick<Deps, 'db'>, q: repo.QuizRow, attempts?: number): Promise<Quiz> {
  const n = questionCount(q);
  return {
    id: q.id,
    name: q.name,
    slug: q.slug,
    mode: q.mode as Quiz['mode'],
    draw: q.draw,
    fixedQuestionIds: q.fixedQuestionIds,
    questionCount: n,
    timeLimitMin: Math.round(q.timeLimitSec / 60),
    pointsPerQuestion: q.pointsPerQuestion,
    maxScore: n * q.pointsPerQuestion,
    passPercent: q.passPercent,
    attemptsPolicy: q.attemptsPolicy as Quiz['attemptsPolicy'],
    maxAttempts: q.maxAttempts,
    scoring: q.scoring as Quiz['scoring'],
    identify: q.identify as Quiz['identify'],
    startsAt: q.startsAt.toISOString(),
    endsAt: q.endsAt.toISOString(),
    attempts: attempts ?? (await repo.attemptCounts(deps.db, [q.id])).get(q.id) ?? 0,
    rosters: (await repo.rostersOf(deps.db, q.id)).map((r) => ({ unitId: r.unit_id, unitName: r.unit_name, size: r.size })),
    version: q.version,
  };
}

export async function listQuizzes(deps: Pick<Deps, 'db'>, ctx: RequestContext): Promise<Quiz[]> {
  surveysPolicy.readQuizzes(ctx.actor);
  const rows = await repo.listQuizzes(deps.db);
  const counts = await repo.attemptCounts(
    deps.db,
    rows.map((r) => r.id),
  );
  return Promise.all(rows.map((r) => presentQuiz(deps, r, counts.get(r.id) ?? 0)));
}

export async function getQuiz(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Quiz> {
  surveysPolicy.readQuizzes(ctx.actor);
  const q = await repo.getQuiz(deps.db, id);
  if (!q) throw notFound('知识测试');
  return presentQuiz(deps, q);
}

export async function createQuiz(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: QuizInput): Promise<Quiz> {
  surveysPolicy.manageQuizzes(ctx.actor);
  const id = newId();
  await deps.db.transaction(async (tx) => {
    if (input.mode === 'fixed') {
      const found = await repo.questionsByIds(tx, input.fixedQuestionIds);
      const active = new Set(found.filter((q) => q.status === 'active').map((q) => q.id));
      const i = input.fixedQuestionIds.findIndex((x) => !active.has(x));
      if (i >= 0) throw new AppError('VALIDATION_FAILED', `第 ${i + 1} 道题不在题库中或已停用`, [{ path: `body.fixedQuestionIds.${i}`, message: '题目不在题库中或已停用' }]);
    } else {
      const bank = await repo.listQuestions(tx, {});
      input.draw.forEach((d, i) => {
        const have = bank.filter((q) => q.category === d.category).length;
        if (have < d.count) throw new AppError('VALIDATION_FAILED', `题库中“${d.category}”只有 ${have} 道题，不够抽 ${d.count} 道`, [{ path: `body.draw.${i}.count`, message: `最多 ${have} 道` }]);
      });
    }
    await repo.insertQuiz(tx, {
      id,
      name: input.name,
      slug: randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').toLowerCase(),
      mode: input.mode,
      draw: input.mode === 'random' ? input.draw : [],
      fixedQuestionIds: input.mode === 'fixed' ? input.fixedQuestionIds : [],
      timeLimitSec: input.timeLimitMin * 60,
      pointsPerQuestion: input.pointsPerQuestion,
      passPercent: input.passPercent,
      attemptsPolicy: input.attemptsPolicy,
      maxAttempts: input.maxAttempts,
      scoring: input.scoring,
      identify: input.identify,
      startsAt: new Date(input.startsAt),
      endsAt: new Date(input.endsAt),
      createdBy: ctx.actor.userId,
    });
    await audit(tx, ctx, { action: 'create', entity: 'quiz', entityId: id, after: { ...input } });
  });
  return getQuiz(deps, ctx, id);
}

/** A unit enters its roster size (the city for any unit; a unit for itself and its subtree). */
export async function setRoster(deps: Pick<Deps, 'db'>, ctx: RequestContext, quizId: string, unitId: string, size: number): Promise<Quiz> {
  surveysPolicy.readQuizzes(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const quiz = await repo.getQuiz(tx, quizId);
    if (!quiz) throw notFound('知识测试');
    const [unit] = await getUnitsByIds(tx, [unitId]);
    if (!unit) throw notFound('单位');
    const scope = scopeFor(ctx.actor, 'write');
    if (!ctx.actor.permissions.has('quizzes.manage') && !(scope.isAll || unit.path.startsWith(scope.rootPath))) throw forbidden('只能填报本单位及下级单位的名册人数');
    await repo.upsertRoster(tx, quizId, unitId, size);
    await audit(tx, ctx, { action: 'set_roster', entity: 'quiz_roster', entityId: quizId, after: { unitId, unit: unit.name, size } });
  });
  return getQuiz(deps, ctx, quizId);
}

export async function quizLeaderboard(deps: Pick<Deps, 'db'>, ctx: RequestContext, quizId: string, from?: string, to?: string): Promise<Leaderboard> {
  surveysPolicy.readQuizzes(ctx.actor);
  const quiz = await repo.getQuiz(deps.db, quizId);
  if (!quiz) throw notFound('知识测试');
  const policy = quiz.attemptsPolicy as 'best' | 'last' | 'first';
  const [counted, rosters, units] = await Promise.all([
    repo.countedAttempts(deps.db, quizId, policy, from ? new Date(from) : null, to ? new Date(to) : null),
    repo.rostersOf(deps.db, quizId),
    repo.unitsForBoard(deps.db),
  ]);
  const board = leaderboard(
    counted.map((c) => ({ participant: c.participant, unitId: c.unit_id, score: c.score, maxScore: c.max_score })),
    new Map(rosters.map((r) => [r.unit_id, r.size])),
    units,
    units.filter((u) => u.kind === 'district'),
  );
  return { quizId, maxScore: questionCount(quiz) * quiz.pointsPerQuestion, policy, from: from ?? null, to: to ?? null, ...board };
}

// ——— taking a quiz (public) ———

function quizClosed(q: repo.QuizRow, now = new Date()): string | null {
  if (now < q.startsAt) return '测试尚未开始';
  if (now > q.endsAt) return '测试已结束，感谢您的关注';
  return null;
}

export async function publicQuiz(deps: Pick<Deps, 'db'>, slug: string): Promise<PublicQuiz> {
  const q = await repo.getQuizBySlug(deps.db, slug);
  if (!q) throw new AppError('NOT_FOUND', '测试不存在或链接有误');
  const message = quizClosed(q);
  const n = questionCount(q);
  const rosters = await repo.rostersOf(deps.db, q.id);
  return {
    slug,
    name: q.name,
    open: message === null,
    message,
    questionCount: n,
    timeLimitMin: Math.round(q.timeLimitSec / 60),
    maxScore: n * q.pointsPerQuestion,
    passPercent: q.passPercent,
    maxAttempts: q.maxAttempts,
    attemptsPolicy: q.attemptsPolicy as PublicQuiz['attemptsPolicy'],
    identify: q.identify as PublicQuiz['identify'],
    units: rosters.map((r) => ({ id: r.unit_id, name: r.unit_name })),
  };
}

export async function startAttempt(deps: Pick<Deps, 'db' | 'crypto'>, slug: string, input: { name: string; unitId: string; phone?: string }): Promise<AttemptPaper> {
  const q = await repo.getQuizBySlug(deps.db, slug);
  if (!q) throw new AppError('NOT_FOUND', '测试不存在或链接有误');
  const closed = quizClosed(q);
  if (closed) throw new AppError('INVALID_STATE', closed);
  if (q.identify === 'phone' && !input.phone) throw new AppError('VALIDATION_FAILED', '请填写手机号', [{ path: 'body.phone', message: '请填写手机号' }]);
  const rosters = await repo.rostersOf(deps.db, q.id);
  if (!rosters.some((r) => r.unit_id === input.unitId)) throw new AppError('VALIDATION_FAILED', '请选择参加本次测试的单位', [{ path: 'body.unitId', message: '该单位未参加本次测试' }]);
  const participantHash = deps.crypto.lookupHash(q.identify === 'phone' ? `quiz:${q.id}:phone:${input.phone}` : `quiz:${q.id}:${input.unitId}:${input.name.replace(/\s+/g, '')}`);
  const done = await repo.submittedCount(deps.db, q.id, participantHash);
  if (q.maxAttempts !== null && done >= q.maxAttempts) throw new AppError('BUSINESS_RULE', `您已答题 ${done} 次，本测试每人最多 ${q.maxAttempts} 次`);
  const ids = q.mode === 'fixed' ? q.fixedQuestionIds : drawQuestions(await repo.listQuestions(deps.db, {}), q.draw);
  const questions = await repo.questionsByIds(deps.db, ids);
  const byId = new Map(questions.map((x) => [x.id, x]));
  const id = newId();
  const deadline = new Date(Date.now() + q.timeLimitSec * 1000);
  await repo.insertAttempt(deps.db, {
    id,
    quizId: q.id,
    participantHash,
    name: input.name,
    unitId: input.unitId,
    phoneEnc: input.phone ? deps.crypto.encrypt(input.phone) : null,
    questionIds: ids,
    deadlineAt: deadline,
    maxScore: ids.length * q.pointsPerQuestion,
  });
  return {
    attemptId: id,
    deadline: deadline.toISOString(),
    attemptNo: done + 1,
    questions: ids.map((qid) => {
      const x = byId.get(qid)!;
      return { id: x.id, type: x.type as 'single', stem: x.stem, options: x.options };
    }),
  };
}

/** Grace for the network after the time limit. */
const GRACE_MS = 30_000;

export async function submitAttempt(deps: Pick<Deps, 'db'>, attemptId: string, answers: Record<string, string[]>): Promise<AttemptResult> {
  return deps.db.transaction(async (tx) => {
    const a = await repo.getAttempt(tx, attemptId, true);
    if (!a) throw new AppError('NOT_FOUND', '答题记录不存在');
    if (a.submittedAt) throw new AppError('INVALID_STATE', '本次答题已经交卷');
    if (Date.now() > a.deadlineAt.getTime() + GRACE_MS) throw new AppError('BUSINESS_RULE', '答题时间已到，本次答卷未计分，请重新开始');
    const quiz = (await repo.getQuiz(tx, a.quizId))!;
    const unknown = Object.keys(answers).find((k) => !a.questionIds.includes(k));
    if (unknown) throw new AppError('VALIDATION_FAILED', '答卷中有不属于本次试卷的题目', [{ path: `body.answers.${unknown}`, message: '不属于本次试卷' }]);
    const questions = new Map((await repo.questionsByIds(tx, a.questionIds)).map((q) => [q.id, q]));
    const items = a.questionIds.map((qid) => {
      const q = questions.get(qid)!;
      const chosen = [...new Set(answers[qid] ?? [])].sort();
      const earned = scoreQuestion(q.type, q.answer, chosen, quiz.scoring as 'all' | 'partial', quiz.pointsPerQuestion);
      return { id: q.id, stem: q.stem, type: q.type as 'single', options: q.options, chosen, answer: q.answer, earned, points: quiz.pointsPerQuestion, explanation: q.explanation, source: q.source };
    });
    const score = items.reduce((t, i) => t + i.earned, 0);
    await repo.finishAttempt(
      tx,
      attemptId,
      Object.fromEntries(items.map((i) => [i.id, i.chosen])),
      score,
    );
    return { score, maxScore: a.maxScore, passed: score * 100 >= a.maxScore * quiz.passPercent, items };
  });
}
