import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, paged } from '../../../contracts/common.ts';
import {
  CreateIssueCategoryRequest,
  CreateIssueRequest,
  Issue,
  IssueActionParams,
  IssueActionRequest,
  IssueCategory,
  IssueDetail,
  IssueDuplicatesQuery,
  IssueDuplicatesResponse,
  IssueMarkers,
  IssueMarkersQuery,
  ListIssueCategoriesQuery,
  ListIssuesQuery,
  UpdateIssueCategoryRequest,
} from '../../../contracts/issues.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './issues.service.ts';

const tags = ['问题整改'];

export const issueRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/issues',
      { schema: { tags, summary: '问题列表（分页；按状态、责任单位、分类、来源、超期、区域）', querystring: ListIssuesQuery, response: { 200: paged(Issue) } } },
      async (req) => service.listIssues(deps, requireCtx(req), req.query),
    );
    app.get(
      '/api/issues/markers',
      { schema: { tags, summary: '问题地图：与列表相同的筛选，有坐标的问题（最多 5000 个）', querystring: IssueMarkersQuery, response: { 200: IssueMarkers } } },
      async (req) => service.listIssueMarkers(deps, requireCtx(req), req.query),
    );
    app.get(
      '/api/issues/duplicates',
      {
        schema: {
          tags,
          summary: '疑似重复：同类未办结问题，按距离由近到远（半径 ISSUE_DUPLICATE_RADIUS_M，最多 10 条）',
          querystring: IssueDuplicatesQuery,
          response: { 200: IssueDuplicatesResponse },
        },
      },
      async (req) => service.findDuplicates(deps, requireCtx(req), req.query),
    );
    app.get('/api/issues/:id', { schema: { tags, summary: '问题详情（含流转记录与可执行操作）', params: IdParams, response: { 200: IssueDetail } } }, async (req) =>
      service.getIssue(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/issues', { schema: { tags, summary: '上报问题', body: CreateIssueRequest, response: { 200: IssueDetail } } }, async (req) =>
      service.createIssue(deps, requireCtx(req), req.body),
    );
    app.post(
      '/api/issues/:id/actions/:action',
      {
        schema: {
          tags,
          summary: '流转操作：立案、不予立案、合并、派遣、签收、回退、整改反馈、延期、核查、结案、回潮（带 version 乐观锁）',
          params: IssueActionParams,
          body: IssueActionRequest,
          response: { 200: IssueDetail },
        },
      },
      async (req) => service.performAction(deps, requireCtx(req), req.params.id, req.params.action as Exclude<typeof req.params.action, 'report'>, req.body),
    );
    app.get(
      '/api/issue-categories',
      { schema: { tags, summary: '问题分类（两级）', querystring: ListIssueCategoriesQuery, response: { 200: z.array(IssueCategory) } } },
      async (req) => service.listCategories(deps, requireCtx(req), req.query.includeInactive ?? false),
    );
    app.post('/api/issue-categories', { schema: { tags, summary: '新增问题分类', body: CreateIssueCategoryRequest, response: { 200: IssueCategory } } }, async (req) =>
      service.createCategory(deps, requireCtx(req), req.body),
    );
    app.patch(
      '/api/issue-categories/:id',
      { schema: { tags, summary: '修改问题分类：名称、默认责任单位、时限、停用（带 version）', params: IdParams, body: UpdateIssueCategoryRequest, response: { 200: IssueCategory } } },
      async (req) => service.updateCategory(deps, requireCtx(req), req.params.id, req.body),
    );
  };
