import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, paged } from '../../../contracts/common.ts';
import {
  AmendInspection,
  CreateFragment,
  CreateTemplate,
  DrawInput,
  DrawPreview,
  Fragment,
  InspectionDetail,
  InspectionQuery,
  InspectionRow,
  ItemGroup,
  Occurrence,
  OccurrenceForm,
  OccurrenceQuery,
  Plan,
  PlanInput,
  PublishTemplateVersion,
  ReturnInspection,
  ReviewInspection,
  SaveTemplateDraft,
  ScoreQuery,
  ScoreTable,
  StartOccurrence,
  SubmitInspection,
  Team,
  TeamInput,
  TemplateDetail,
  TemplateSummary,
  TemplateVersion,
  UpdateTeam,
} from '../../../contracts/inspections.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './inspections.service.ts';
import * as templates from './templates.service.ts';

const tags = ['督查检查'];
const VersionBody = z.object({ version: z.number().int().min(1) });

export const inspectionRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    // ——— 测评细则 ———
    app.get('/api/inspections/groups', { schema: { tags, summary: '条目分组', response: { 200: z.array(ItemGroup) } } }, async (req) => templates.listGroups(deps, requireCtx(req)));
    app.get('/api/inspections/fragments', { schema: { tags, summary: '通用条目组（被细则引用）', response: { 200: z.array(Fragment) } } }, async (req) => templates.listFragments(deps, requireCtx(req)));
    app.post('/api/inspections/fragments', { schema: { tags, summary: '新建通用条目组', body: CreateFragment, response: { 200: Fragment } } }, async (req) => templates.createFragment(deps, requireCtx(req), req.body));
    app.get('/api/inspections/templates', { schema: { tags, summary: '测评细则列表', response: { 200: z.array(TemplateSummary) } } }, async (req) => templates.listTemplates(deps, requireCtx(req)));
    app.post('/api/inspections/templates', { schema: { tags, summary: '新建测评细则（第 1 版草稿）', body: CreateTemplate, response: { 200: TemplateDetail } } }, async (req) =>
      templates.createTemplate(deps, requireCtx(req), req.body),
    );
    app.get('/api/inspections/templates/:id', { schema: { tags, summary: '测评细则及其各版本', params: IdParams, response: { 200: TemplateDetail } } }, async (req) =>
      templates.getTemplate(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/inspections/templates/:id/versions', { schema: { tags, summary: '由最新版本复制出新草稿（已发布的版本不可修改）', params: IdParams, response: { 200: TemplateVersion } } }, async (req) =>
      templates.newVersion(deps, requireCtx(req), req.params.id),
    );
    app.put('/api/inspections/template-versions/:id', { schema: { tags, summary: '保存草稿（已发布 409；版本号过期 409）', params: IdParams, body: SaveTemplateDraft, response: { 200: TemplateVersion } } }, async (req) =>
      templates.saveDraft(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post('/api/inspections/template-versions/:id/publish', { schema: { tags, summary: '发布版本（发布后冻结）', params: IdParams, body: PublishTemplateVersion, response: { 200: TemplateVersion } } }, async (req) =>
      templates.publishVersion(deps, requireCtx(req), req.params.id, req.body.version),
    );

    // ——— 督查组 ———
    app.get('/api/inspections/teams', { schema: { tags, summary: '督查组', response: { 200: z.array(Team) } } }, async (req) => service.listTeams(deps, requireCtx(req)));
    app.post('/api/inspections/teams', { schema: { tags, summary: '新建督查组', body: TeamInput, response: { 200: Team } } }, async (req) => service.createTeam(deps, requireCtx(req), req.body));
    app.put('/api/inspections/teams/:id', { schema: { tags, summary: '修改督查组', params: IdParams, body: UpdateTeam, response: { 200: Team } } }, async (req) =>
      service.updateTeam(deps, requireCtx(req), req.params.id, req.body),
    );

    // ——— 计划 ———
    app.post('/api/inspections/draw-preview', { schema: { tags, summary: '随机抽取预览（不保存；返回所用种子）', body: DrawInput, response: { 200: DrawPreview } } }, async (req) =>
      service.previewDraw(deps, requireCtx(req), req.body),
    );
    app.get('/api/inspections/plans', { schema: { tags, summary: '督查计划', response: { 200: z.array(Plan) } } }, async (req) => service.listPlans(deps, requireCtx(req)));
    app.post('/api/inspections/plans', { schema: { tags, summary: '新建督查计划并生成检查任务', body: PlanInput, response: { 200: Plan } } }, async (req) => service.createPlan(deps, requireCtx(req), req.body));
    app.get('/api/inspections/plans/:id', { schema: { tags, summary: '督查计划', params: IdParams, response: { 200: Plan } } }, async (req) => service.getPlan(deps, requireCtx(req), req.params.id));
    app.post('/api/inspections/plans/:id/publish', { schema: { tags, summary: '公布暗访结果（被检单位从此可见，问题随之生成）', params: IdParams, body: VersionBody, response: { 200: Plan } } }, async (req) =>
      service.publishPlan(deps, requireCtx(req), req.params.id, req.body.version),
    );

    // ——— 检查任务 ———
    app.get('/api/inspections/occurrences', { schema: { tags, summary: '检查任务（给出 lng/lat 时由近及远）', querystring: OccurrenceQuery, response: { 200: paged(Occurrence) } } }, async (req) =>
      service.listOccurrences(deps, requireCtx(req), req.query),
    );
    app.get('/api/inspections/occurrences/:id', { schema: { tags, summary: '检查表单：任务、细则条目与以往不达标项（复查）', params: IdParams, response: { 200: OccurrenceForm } } }, async (req) =>
      service.getOccurrenceForm(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/inspections/occurrences/:id/start', { schema: { tags, summary: '开始检查', params: IdParams, body: StartOccurrence, response: { 200: Occurrence } } }, async (req) =>
      service.startOccurrence(deps, requireCtx(req), req.params.id, req.body.version),
    );
    app.post('/api/inspections/occurrences/:id/submit', { schema: { tags, summary: '提交检查结果（幂等：同一 clientKey 返回第一次的结果）', params: IdParams, body: SubmitInspection, response: { 200: InspectionDetail } } }, async (req) =>
      service.submitInspection(deps, requireCtx(req), req.params.id, req.body),
    );

    // ——— 结果 ———
    app.get('/api/inspections/results', { schema: { tags, summary: '检查结果列表', querystring: InspectionQuery, response: { 200: paged(InspectionRow) } } }, async (req) =>
      service.listInspections(deps, requireCtx(req), req.query),
    );
    app.get('/api/inspections/results/:id', { schema: { tags, summary: '检查结果', params: IdParams, response: { 200: InspectionDetail } } }, async (req) =>
      service.getInspection(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/inspections/results/:id/approve', { schema: { tags, summary: '审核通过（组长）', params: IdParams, body: ReviewInspection, response: { 200: InspectionDetail } } }, async (req) =>
      service.reviewInspection(deps, requireCtx(req), req.params.id, 'approve', req.body.note),
    );
    app.post('/api/inspections/results/:id/return', { schema: { tags, summary: '退回（组长，须填原因）', params: IdParams, body: ReturnInspection, response: { 200: InspectionDetail } } }, async (req) =>
      service.reviewInspection(deps, requireCtx(req), req.params.id, 'return', req.body.note),
    );
    app.post('/api/inspections/results/:id/amend', { schema: { tags, summary: '更正检查结果（组长，须填原因；记为事件，不改原记录）', params: IdParams, body: AmendInspection, response: { 200: InspectionDetail } } }, async (req) =>
      service.amendInspection(deps, requireCtx(req), req.params.id, req.body),
    );
    app.get('/api/inspections/scores', { schema: { tags, summary: '得分与得分率（分子、分母）', querystring: ScoreQuery, response: { 200: ScoreTable } } }, async (req) =>
      service.scoreTable(deps, requireCtx(req), req.query),
    );
  };
