import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { IdParams } from '../../../contracts/common.ts';
import {
  AnswerCodes,
  CreateQuestionnaire,
  EnumeratorSubmit,
  IssuedToken,
  IssueTokens,
  OtpRequest,
  PublicRound,
  PublishVersion,
  QuestionnaireDetail,
  QuestionnaireSummary,
  QuestionnaireVersion,
  RateTrend,
  Round,
  RoundAction,
  RoundInput,
  RoundResults,
  SaveDraft,
  SubmitResponse,
  SubmitResult,
  UpdateRound,
} from '../../../contracts/surveys.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import { AppError } from '../../http/errors.ts';
import { attachmentHeader, writeWorkbook, XLSX_MIME } from '../../lib/excel.ts';
import { surveysPolicy } from './surveys.policy.ts';
import * as service from './surveys.service.ts';

const tags = ['问卷调查'];
const SlugParams = z.object({ slug: z.string().regex(/^[a-z0-9x]{4,16}$/, '问卷链接不正确') });

export type SurveyRouteOptions = {
  /** submissions per address per minute before 429 (bursts) */
  submitPerMinute?: number;
};

export const surveyRoutes =
  (deps: Deps, opts: SurveyRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const perMinute = opts.submitPerMinute ?? 30;
    // ——— questionnaires ———
    app.get('/api/surveys/questionnaires', { schema: { tags, summary: '问卷列表', response: { 200: z.array(QuestionnaireSummary) } } }, async (req) => service.listQuestionnaires(deps, requireCtx(req)));
    app.post('/api/surveys/questionnaires', { schema: { tags, summary: '新建问卷（第 1 版草稿）', body: CreateQuestionnaire, response: { 200: QuestionnaireDetail } } }, async (req) =>
      service.createQuestionnaire(deps, requireCtx(req), req.body),
    );
    app.get('/api/surveys/questionnaires/:id', { schema: { tags, summary: '问卷及其各版本', params: IdParams, response: { 200: QuestionnaireDetail } } }, async (req) =>
      service.getQuestionnaire(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/surveys/questionnaires/:id/versions', { schema: { tags, summary: '由最新已发布版本复制出新草稿', params: IdParams, response: { 200: QuestionnaireVersion } } }, async (req) =>
      service.newVersion(deps, requireCtx(req), req.params.id),
    );
    app.put('/api/surveys/versions/:id', { schema: { tags, summary: '保存草稿（已发布版本不可改；版本号过期返回 409）', params: IdParams, body: SaveDraft, response: { 200: QuestionnaireVersion } } }, async (req) =>
      service.saveDraft(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post('/api/surveys/versions/:id/publish', { schema: { tags, summary: '发布版本（发布后冻结）', params: IdParams, body: PublishVersion, response: { 200: QuestionnaireVersion } } }, async (req) =>
      service.publishVersion(deps, requireCtx(req), req.params.id, req.body.version),
    );
    app.get('/api/surveys/questionnaires/:id/trend', { schema: { tags, summary: '各指标在各轮次的走势', params: IdParams, response: { 200: RateTrend } } }, async (req) =>
      service.rateTrend(deps, requireCtx(req), req.params.id),
    );
    app.get('/api/surveys/codes', { schema: { tags, summary: '选项语义代码', response: { 200: z.record(z.string(), z.string()) } } }, async () => AnswerCodes);

    // ——— rounds ———
    app.get('/api/surveys/rounds', { schema: { tags, summary: '调查轮次', querystring: z.object({ questionnaireId: z.uuid().optional() }), response: { 200: z.array(Round) } } }, async (req) =>
      service.listRounds(deps, requireCtx(req), req.query.questionnaireId),
    );
    app.post('/api/surveys/rounds', { schema: { tags, summary: '新建调查轮次（问卷版本、期间、抽样设计与配额、防重复方式）', body: RoundInput, response: { 200: Round } } }, async (req) =>
      service.createRound(deps, requireCtx(req), req.body),
    );
    app.get('/api/surveys/rounds/:id', { schema: { tags, summary: '调查轮次（含各类别配额与实时完成数）', params: IdParams, response: { 200: Round } } }, async (req) =>
      service.getRound(deps, requireCtx(req), req.params.id),
    );
    app.put('/api/surveys/rounds/:id', { schema: { tags, summary: '修改未开始的轮次', params: IdParams, body: UpdateRound, response: { 200: Round } } }, async (req) =>
      service.updateRound(deps, requireCtx(req), req.params.id, req.body.round, req.body.version),
    );
    for (const action of ['open', 'close'] as const) {
      app.post(`/api/surveys/rounds/:id/${action}`, { schema: { tags, summary: action === 'open' ? '开始调查' : '结束调查', params: IdParams, body: RoundAction, response: { 200: Round } } }, async (req) =>
        service.changeRoundStatus(deps, requireCtx(req), req.params.id, action, req.body.version),
      );
    }
    app.post('/api/surveys/rounds/:id/tokens', { schema: { tags, summary: '生成入户邀请码（仅本次返回明文，用于打印）', params: IdParams, body: IssueTokens, response: { 200: z.array(IssuedToken) } } }, async (req) =>
      service.issueTokens(deps, requireCtx(req), req.params.id, req.body.count, req.body.labelPrefix),
    );
    app.get('/api/surveys/rounds/:id/qr.svg', { schema: { tags, summary: '公开链接二维码（SVG）', params: IdParams } }, async (req, reply) => {
      const r = await service.getRound(deps, requireCtx(req), req.params.id);
      const svg = await QRCode.toString(`${req.protocol}://${req.host}/s/${r.slug}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return reply.type('image/svg+xml').header('cache-control', 'no-store').send(svg);
    });
    app.get('/api/surveys/rounds/:id/results', { schema: { tags, summary: '调查结果：各指标总体与分类别的 n、排除数、95% 置信区间、加权值', params: IdParams, response: { 200: RoundResults } } }, async (req) =>
      service.roundResults(deps, requireCtx(req), req.params.id),
    );
    app.get('/api/surveys/rounds/:id/results.xlsx', { schema: { tags, summary: '调查结果导出 Excel（指标与答卷，不含任何身份信息）', params: IdParams } }, async (req, reply) => {
      const file = await exportResults(deps, requireCtx(req), req.params.id);
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(file.fileName)).header('cache-control', 'no-store').send(file.buffer);
    });
    app.post('/api/surveys/rounds/:id/collect', { schema: { tags, summary: '调查员入户/街访代填（带调查员、地点、时间；clientKey 保证离线重传只存一份）', params: IdParams, body: EnumeratorSubmit, response: { 200: SubmitResult } } }, async (req) => {
      const ctx = requireCtx(req);
      surveysPolicy.collect(ctx.actor);
      return service.submit(deps, { id: req.params.id }, req.body, { ip: req.ip, enumerator: { ctx, input: req.body } });
    });

    // ——— public answering (no login) ———
    app.get('/api/public/surveys/:slug', { schema: { tags, summary: '公开问卷：题目、样本类别选项、所需验证', params: SlugParams, response: { 200: PublicRound } } }, async (req) => service.publicRound(deps, req.params.slug));
    app.post(
      '/api/public/surveys/:slug/otp',
      {
        config: { rateLimit: { max: 5, timeWindow: 10 * 60_000, errorResponseBuilder: () => new AppError('RATE_LIMITED', '验证码发送过于频繁，请 10 分钟后再试') } },
        schema: { tags, summary: '发送手机验证码（开启手机号验证的问卷）', params: SlugParams, body: OtpRequest, response: { 200: z.object({ ok: z.literal(true) }) } },
      },
      async (req) => {
        await service.sendOtp(deps, req.params.slug, req.body.phone);
        return { ok: true as const };
      },
    );
    app.post(
      '/api/public/surveys/:slug/responses',
      {
        config: { rateLimit: { max: perMinute, timeWindow: 60_000, errorResponseBuilder: () => new AppError('RATE_LIMITED', '提交过于频繁，请稍后再试') } },
        schema: { tags, summary: '提交答卷（整份写入或不写入；clientKey 相同只存一份）', params: SlugParams, body: SubmitResponse, response: { 200: SubmitResult } },
      },
      async (req) => service.submit(deps, { slug: req.params.slug }, req.body, { ip: req.ip }),
    );
  };

const pct = (x: number | null) => (x === null ? '' : `${(x * 100).toFixed(1)}%`);

async function exportResults(deps: Deps, ctx: ReturnType<typeof requireCtx>, roundId: string) {
  const res = await service.roundResults(deps, ctx, roundId);
  const raw = await service.responsesForRecompute(deps, ctx, roundId);
  const round = await service.getRound(deps, ctx, roundId);
  const label = new Map(round.strata.map((s) => [s.id, s.label]));
  const excl = (e: Record<string, number>) =>
    Object.entries(e)
      .map(([k, v]) => `${k === 'UNANSWERED' ? '未作答' : (AnswerCodes[k as keyof typeof AnswerCodes] ?? k)} ${v}`)
      .join('；');
  const rateRows: (string | number | null)[][] = [];
  for (const r of res.rates) {
    const codes = `分子：${r.numeratorCodes.map((c) => AnswerCodes[c as keyof typeof AnswerCodes]).join('、')}；排除：${r.excludedCodes.map((c) => AnswerCodes[c as keyof typeof AnswerCodes]).join('、') || '无'}`;
    rateRows.push([r.name, '总体', r.overall.numerator, r.overall.denominator, pct(r.overall.rate), r.overall.interval ? `${pct(r.overall.interval.low)}–${pct(r.overall.interval.high)}` : '', excl(r.overall.exclusions), pct(r.weighted?.rate ?? null), codes]);
    for (const s of r.byStratum) {
      rateRows.push([r.name, s.label, s.figure.numerator, s.figure.denominator, pct(s.figure.rate), s.figure.interval ? `${pct(s.figure.interval.low)}–${pct(s.figure.interval.high)}` : '', excl(s.figure.exclusions), '', s.population === null ? '' : `人口 ${s.population}`]);
    }
  }
  const questions = [...new Set(raw.flatMap((r) => Object.keys(r.answers)))];
  const buffer = await writeWorkbook([
    {
      name: '指标',
      columns: [{ header: '指标', width: 12 }, { header: '范围', width: 18 }, { header: '分子' }, { header: '分母(n)' }, { header: '比率' }, { header: '95%置信区间', width: 18 }, { header: '排除出分母', width: 24 }, { header: '加权(按人口)', width: 14 }, { header: '定义', width: 40 }],
      rows: rateRows,
    },
    {
      name: '答卷',
      columns: [{ header: '序号' }, { header: '样本类别', width: 18 }, { header: '方式' }, { header: '超配额' }, { header: '标记' }, ...questions.map((q) => ({ header: q }))],
      rows: raw.map((r, i) => [i + 1, label.get(r.stratumId) ?? '', r.mode, r.overQuota ? '是' : '', r.flags.join(','), ...questions.map((q) => {
        const v = r.answers[q];
        return v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      })]),
    },
  ]);
  return { fileName: `调查结果_${round.name}.xlsx`, buffer };
}
