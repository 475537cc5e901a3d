import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../contracts/common.ts';
import {
  Activity,
  ActivityPage,
  Certificate,
  CheckinRequest,
  CheckinResponse,
  ListActivitiesQuery,
  MyPage,
  PublicCertificate,
  PublicTeam,
  RegisterVolunteerRequest,
  ServiceRecord,
  VolunteerCorrectionRequest,
  VolunteerLoginRequest,
  VolunteerSessionResponse,
  VolunteerTag,
} from '../../../contracts/volunteers.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../http/errors.ts';
import { listCommunities } from '../org/index.ts';
import * as activities from './activities.service.ts';
import * as records from './records.service.ts';
import * as teams from './teams.service.ts';
import { originOf, sendCertificate } from './volunteers.routes.ts';
import * as service from './volunteers.service.ts';

const tags = ['志愿者（手机端，无需账号）'];
export const VOLUNTEER_TOKEN_HEADER = 'x-volunteer-token';
const tokenOf = (req: FastifyRequest) => {
  const t = req.headers[VOLUNTEER_TOKEN_HEADER];
  return typeof t === 'string' ? t : undefined;
};

export type PublicVolunteerSettings = { registerRateMax: number; rateWindowMs: number };
export const publicVolunteerSettings = (env = process.env): PublicVolunteerSettings => ({
  registerRateMax: Math.max(1, Number(env.VOLUNTEER_REGISTER_RATE_MAX ?? 5) || 5),
  rateWindowMs: Math.max(1, Number(env.VOLUNTEER_REGISTER_RATE_WINDOW_MINUTES ?? 10) || 10) * 60_000,
});

export const volunteerPublicRoutes =
  (deps: Deps, settings: PublicVolunteerSettings = publicVolunteerSettings()): FastifyPluginAsyncZod =>
  async (app) => {
    const windowMin = Math.round(settings.rateWindowMs / 60_000);
    const limited = (max: number, what: string) => ({
      rateLimit: { max, timeWindow: settings.rateWindowMs, errorResponseBuilder: () => new AppError('RATE_LIMITED', `${what}过于频繁：每 ${windowMin} 分钟最多 ${max} 次，请稍后再试`) },
    });
    const me = (req: FastifyRequest) => service.requireVolunteer(deps, tokenOf(req));
    const maybeMe = async (req: FastifyRequest) => (tokenOf(req) ? me(req) : null);

    app.get(
      '/api/public/volunteers/options',
      {
        schema: {
          tags,
          summary: '注册表单的选项：社区、队伍类型、活动主题',
          response: { 200: z.object({ communities: z.array(z.object({ id: z.string(), name: z.string(), pathNames: z.string() })), tags: z.array(VolunteerTag) }) },
        },
      },
      async () => {
        const [communities, tagList] = await Promise.all([listCommunities(deps.db), service.listTags(deps)]);
        return { communities: communities.map((c) => ({ id: c.id, name: c.name, pathNames: c.path_names ?? '' })), tags: tagList };
      },
    );
    app.post(
      '/api/public/volunteers/register',
      { config: limited(settings.registerRateMax, '注册'), schema: { tags, summary: '志愿者自行注册（实名，按 IP 限流）', body: RegisterVolunteerRequest, response: { 200: VolunteerSessionResponse } } },
      async (req) => {
        const row = await service.registerVolunteer(deps, null, req.body);
        const token = await service.openSession(deps, row.id);
        return { token, volunteer: (await service.presentVolunteers(deps.db, [row], deps.crypto))[0] };
      },
    );
    app.post(
      '/api/public/volunteers/login',
      { config: limited(10, '登录'), schema: { tags, summary: '在新手机上登录志愿者身份（证件号码 + 手机号）', body: VolunteerLoginRequest, response: { 200: VolunteerSessionResponse } } },
      async (req) => {
        const row = await service.loginVolunteer(deps, req.body);
        const token = await service.openSession(deps, row.id);
        return { token, volunteer: (await service.presentVolunteers(deps.db, [row], deps.crypto))[0] };
      },
    );
    app.get('/api/public/volunteers/me', { schema: { tags, summary: '我的志愿服务：活动、时长、星级、证明', response: { 200: MyPage } } }, async (req) => {
      const v = await me(req);
      const certs = await records.listCertificatesOf(deps, v.id, originOf(req));
      return service.myPage(deps, v, (rows) => rows.map(records.presentRecord), certs);
    });
    app.get('/api/public/volunteers/teams', { schema: { tags, summary: '可加入的志愿队', response: { 200: z.array(PublicTeam) } } }, async () => teams.listPublicTeams(deps));
    app.post('/api/public/volunteers/teams/:id/join', { schema: { tags, summary: '申请加入志愿队（队伍管理员审批）', params: IdParams, response: { 200: z.object({ state: z.string() }) } } }, async (req) =>
      teams.requestJoin(deps, await me(req), req.params.id, req.ip),
    );
    app.get('/api/public/volunteers/activities', { schema: { tags, summary: '志愿活动（含我的报名状态）', querystring: ListActivitiesQuery, response: { 200: ActivityPage } } }, async (req) =>
      activities.listPublicActivities(deps, await maybeMe(req), req.query),
    );
    app.get('/api/public/volunteers/activities/:id', { schema: { tags, summary: '活动详情', params: IdParams, response: { 200: Activity } } }, async (req) =>
      activities.getPublicActivity(deps, await maybeMe(req), req.params.id),
    );
    app.post('/api/public/volunteers/activities/:id/signup', { schema: { tags, summary: '报名（满员进入候补）', params: IdParams, response: { 200: z.object({ state: z.string() }) } } }, async (req) =>
      activities.signUp(deps, await me(req), req.params.id, req.ip),
    );
    app.post('/api/public/volunteers/activities/:id/cancel', { schema: { tags, summary: '取消报名（候补递补）', params: IdParams, response: { 200: z.object({ state: z.string() }) } } }, async (req) =>
      activities.cancelSignup(deps, await me(req), req.params.id, req.ip),
    );
    app.post(
      '/api/public/volunteers/activities/:id/checkin',
      { config: limited(60, '签到'), schema: { tags, summary: '扫码或输入签到码签到 / 签退（校验时间窗口与位置）', params: IdParams, body: CheckinRequest, response: { 200: CheckinResponse } } },
      async (req) => activities.checkIn(deps, await me(req), req.params.id, req.body, req.ip),
    );
    app.post(
      '/api/public/volunteers/records/:id/correction',
      { schema: { tags, summary: '对我的服务记录申请更正', params: IdParams, body: VolunteerCorrectionRequest, response: { 200: ServiceRecord } } },
      async (req) => {
        const v = await me(req);
        return records.correctRecord(deps, { ctx: service.volunteerCtx(v, req.ip), volunteerId: v.id }, req.params.id, req.body);
      },
    );
    app.post(
      '/api/public/volunteers/certificates',
      {
        schema: {
          tags,
          summary: '自助打印志愿服务记录证明（依据审核通过的记录）',
          body: z.object({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }),
          response: { 200: Certificate },
        },
      },
      async (req) => {
        const v = await me(req);
        const c = await records.issueCertificate(deps, { ctx: service.volunteerCtx(v, req.ip), volunteerId: v.id, selfService: true }, req.body);
        return records.presentCertificate(c, originOf(req));
      },
    );
    app.get(
      '/api/public/volunteers/certificates/:id/file',
      { schema: { tags, summary: '下载我的证明（PDF 或 Word）', params: IdParams, querystring: z.object({ format: z.enum(['docx', 'pdf']).default('pdf') }) } },
      async (req, reply) => {
        const v = await me(req);
        const c = await records.getCertificateFor(deps, null, req.params.id, v.id);
        return sendCertificate(reply, c, req.query.format, records.verifyUrl(originOf(req), c.verifyCode));
      },
    );
    app.get(
      '/api/public/certificates/:code',
      {
        config: limited(60, '查询'),
        schema: { tags: ['证明核验（公开）'], summary: '核验志愿服务记录证明（只返回证明本身）', params: z.object({ code: z.string().trim().min(6).max(20) }), response: { 200: PublicCertificate } },
      },
      async (req) => records.verifyCertificate(deps, req.params.code),
    );
  };

