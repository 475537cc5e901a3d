import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IdParams, paged } from '../../../contracts/common.ts';
import {
  CandidateIssue,
  CandidateUnit,
  CreateLetterRequest,
  Letter,
  LetterDetail,
  LetterDraft,
  LetterDraftQuery,
  ListLettersQuery,
  ReplyLetterRequest,
  ReviewLetterRequest,
} from '../../../contracts/supervision.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './supervision.service.ts';

const tags = ['督办函'];

export const supervisionRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/supervision-letters/candidates',
      { schema: { tags, summary: '可督办的单位：有超期未整改、返工或回潮问题的责任单位', response: { 200: z.array(CandidateUnit) } } },
      async (req) => service.listCandidateUnits(deps, requireCtx(req)),
    );
    app.get(
      '/api/supervision-letters/candidates/:unitId',
      { schema: { tags, summary: '某责任单位的超期、返工、回潮问题（督办函候选）', params: z.object({ unitId: Id }), response: { 200: z.array(CandidateIssue) } } },
      async (req) => service.listCandidateIssues(deps, requireCtx(req), req.params.unitId),
    );
    app.get(
      '/api/supervision-letters/draft',
      { schema: { tags, summary: '督办函默认标题与正文（供编辑）', querystring: LetterDraftQuery, response: { 200: LetterDraft } } },
      async (req) => service.draftLetter(deps, requireCtx(req), req.query),
    );
    app.get(
      '/api/supervision-letters',
      { schema: { tags, summary: '督办函列表（按状态、单位、年份）', querystring: ListLettersQuery, response: { 200: paged(Letter) } } },
      async (req) => service.listLetters(deps, requireCtx(req), req.query),
    );
    app.get('/api/supervision-letters/:id', { schema: { tags, summary: '督办函详情（问题清单、流转记录、回复）', params: IdParams, response: { 200: LetterDetail } } }, async (req) =>
      service.getLetter(deps, requireCtx(req), req.params.id),
    );
    app.get('/api/supervision-letters/:id/document', { schema: { tags, summary: '下载督办函 Word 文档（GB/T 9704 信函格式）', params: IdParams } }, async (req, reply) => {
      const fileId = await service.letterDocumentId(deps, requireCtx(req), req.params.id);
      return reply.redirect(`/api/files/${fileId}/content?download=true`, 303);
    });
    app.post(
      '/api/supervision-letters',
      { schema: { tags, summary: '签发督办函：编号 创文督〔年〕N号，生成 Word 文档', body: CreateLetterRequest, response: { 200: LetterDetail } } },
      async (req) => service.createLetter(deps, requireCtx(req), req.body),
    );
    app.post(
      '/api/supervision-letters/:id/reply',
      { schema: { tags, summary: '受函单位回复（文字与附件，带 version）', params: IdParams, body: ReplyLetterRequest, response: { 200: LetterDetail } } },
      async (req) => service.replyLetter(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post(
      '/api/supervision-letters/:id/return',
      { schema: { tags, summary: '退回回复，要求重新回复（须填写原因，带 version）', params: IdParams, body: ReviewLetterRequest, response: { 200: LetterDetail } } },
      async (req) => service.returnLetter(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post(
      '/api/supervision-letters/:id/close',
      { schema: { tags, summary: '办结督办函（带 version）', params: IdParams, body: ReviewLetterRequest, response: { 200: LetterDetail } } },
      async (req) => service.closeLetter(deps, requireCtx(req), req.params.id, req.body),
    );
  };
