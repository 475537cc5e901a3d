import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Ok, QueryBool } from '../../../contracts/common.ts';
import {
  AttemptPaper,
  AttemptResult,
  Leaderboard,
  LeaderboardQuery,
  PublicQuiz,
  Quiz,
  QuizInput,
  QuizQuestion,
  QuizQuestionInput,
  ReviseQuizQuestion,
  RosterInput,
  StartAttempt,
  SubmitAttempt,
} from '../../../contracts/surveys.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import { AppError } from '../../http/errors.ts';
import * as service from './quizzes.service.ts';

const tags = ['应知应会'];
const CodeParams = z.object({ code: z.string().regex(/^ZS\d{4,}$/, '题目编号不正确') });
const SlugParams = z.object({ slug: z.string().regex(/^[a-z0-9x]{4,16}$/, '测试链接不正确') });

export const quizRoutes =
  (deps: Deps, opts: { submitPerMinute?: number } = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const perMinute = opts.submitPerMinute ?? 30;
    app.get(
      '/api/quizzes/bank',
      { schema: { tags, summary: '题库（当前版本；可含已停用）', querystring: z.object({ category: z.string().max(40).optional(), includeRetired: QueryBool.optional() }), response: { 200: z.array(QuizQuestion) } } },
      async (req) => service.listBank(deps, requireCtx(req), req.query),
    );
    app.post('/api/quizzes/bank', { schema: { tags, summary: '新增题目（可批量）', body: z.object({ questions: z.array(QuizQuestionInput).min(1).max(500) }), response: { 200: z.array(QuizQuestion) } } }, async (req) =>
      service.addQuestions(deps, requireCtx(req), req.body.questions),
    );
    app.put('/api/quizzes/bank/:code', { schema: { tags, summary: '修改题目（生成新版本，旧版本停用；版本号过期返回 409）', params: CodeParams, body: ReviseQuizQuestion, response: { 200: QuizQuestion } } }, async (req) =>
      service.reviseQuestion(deps, requireCtx(req), req.params.code, req.body.question, req.body.version),
    );
    app.post('/api/quizzes/bank/:code/retire', { schema: { tags, summary: '停用题目', params: CodeParams, response: { 200: Ok } } }, async (req) => {
      await service.retireQuestion(deps, requireCtx(req), req.params.code);
      return { ok: true as const };
    });
    app.get('/api/quizzes', { schema: { tags, summary: '知识测试列表', response: { 200: z.array(Quiz) } } }, async (req) => service.listQuizzes(deps, requireCtx(req)));
    app.post('/api/quizzes', { schema: { tags, summary: '新建知识测试', body: QuizInput, response: { 200: Quiz } } }, async (req) => service.createQuiz(deps, requireCtx(req), req.body));
    app.get('/api/quizzes/:id', { schema: { tags, summary: '知识测试', params: IdParams, response: { 200: Quiz } } }, async (req) => service.getQuiz(deps, requireCtx(req), req.params.id));
    app.put(
      '/api/quizzes/:id/rosters/:unitId',
      { schema: { tags, summary: '单位填报名册人数（参与率的分母）', params: z.object({ id: z.uuid(), unitId: z.uuid() }), body: RosterInput, response: { 200: Quiz } } },
      async (req) => service.setRoster(deps, requireCtx(req), req.params.id, req.params.unitId, req.body.size),
    );
    app.get(
      '/api/quizzes/:id/leaderboard',
      { schema: { tags, summary: '单位与区排行：参与率（名册人数为分母）、平均分、满分率，每人只计一次', params: IdParams, querystring: LeaderboardQuery, response: { 200: Leaderboard } } },
      async (req) => service.quizLeaderboard(deps, requireCtx(req), req.params.id, req.query.from, req.query.to),
    );

    // ——— public ———
    app.get('/api/public/quizzes/:slug', { schema: { tags, summary: '公开测试：说明与参加单位', params: SlugParams, response: { 200: PublicQuiz } } }, async (req) => service.publicQuiz(deps, req.params.slug));
    app.post(
      '/api/public/quizzes/:slug/attempts',
      {
        config: { rateLimit: { max: perMinute, timeWindow: 60_000, errorResponseBuilder: () => new AppError('RATE_LIMITED', '操作过于频繁，请稍后再试') } },
        schema: { tags, summary: '开始答题：抽题并计时', params: SlugParams, body: StartAttempt, response: { 200: AttemptPaper } },
      },
      async (req) => service.startAttempt(deps, req.params.slug, req.body),
    );
    app.post(
      '/api/public/quizzes/attempts/:id/submit',
      {
        config: { rateLimit: { max: perMinute, timeWindow: 60_000, errorResponseBuilder: () => new AppError('RATE_LIMITED', '操作过于频繁，请稍后再试') } },
        schema: { tags, summary: '交卷：得分与每题解析', params: IdParams, body: SubmitAttempt, response: { 200: AttemptResult } },
      },
      async (req) => service.submitAttempt(deps, req.params.id, req.body.answers),
    );
  };
