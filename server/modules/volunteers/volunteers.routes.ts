import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IdParams, Ok, PageQuery, QueryBool } from '../../../contracts/common.ts';
import {
  Activity,
  ActivityPage,
  ActivityRequest,
  Attendance,
  CertificatePage,
  Certificate,
  CheckinCodeResponse,
  CorrectionRequest,
  DecideMemberRequest,
  DecideRecordRequest,
  IssueCertificateRequest,
  ListActivitiesQuery,
  ListRecordsQuery,
  ListVolunteersQuery,
  ManualRecordRequest,
  RatioTable,
  RegisterVolunteerRequest,
  ServiceRecord,
  ServiceRecordPage,
  Station,
  StationRequest,
  Team,
  TeamMember,
  TeamRequest,
  TeamUpdateRequest,
  Volunteer,
  VolunteerContact,
  VolunteerImportPreview,
  VolunteerPage,
  VolunteerSettings,
  VolunteerTag,
} from '../../../contracts/volunteers.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import { attachmentHeader, isXlsx } from '../../lib/excel.ts';
import { AppError } from '../../http/errors.ts';
import { importTemplate, importVolunteers } from './volunteers.import.ts';
import { volunteersPolicy } from './volunteers.policy.ts';
import { DOCX_MIME } from '../../lib/gbt9704.ts';
import * as activities from './activities.service.ts';
import { certificateDocx, certificatePdf, PDF_MIME } from './certificate.docs.ts';
import { exportForNationalSystem } from './volunteers.export.ts';
import * as records from './records.service.ts';
import * as teams from './teams.service.ts';
import * as service from './volunteers.service.ts';

const tags = ['志愿服务'];
export const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
const FileFormat = z.object({ format: z.enum(['docx', 'pdf']).default('pdf') });

export const volunteerRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/volunteers/tags', { schema: { tags, summary: '队伍类型、服务站类型、活动主题（数据）', response: { 200: z.array(VolunteerTag) } } }, async (req) => {
      requireCtx(req);
      return service.listTags(deps);
    });
    app.get('/api/volunteers/settings', { schema: { tags, summary: '志愿服务全市设置：注册比例目标、星级门槛', response: { 200: VolunteerSettings } } }, async (req) => {
      requireCtx(req);
      return service.getSettings(deps);
    });
    app.put('/api/volunteers/settings', { schema: { tags, summary: '修改全市设置（仅市级）', body: VolunteerSettings, response: { 200: VolunteerSettings } } }, async (req) =>
      service.saveSettings(deps, requireCtx(req), req.body),
    );

    app.get('/api/volunteers', { schema: { tags, summary: '志愿者名册（本辖区；姓名、拼音、手机尾号、编号检索）', querystring: ListVolunteersQuery, response: { 200: VolunteerPage } } }, async (req) =>
      service.listVolunteers(deps, requireCtx(req), req.query),
    );
    app.post('/api/volunteers', { schema: { tags, summary: '代为登记志愿者（须经本人同意）', body: RegisterVolunteerRequest, response: { 200: Volunteer } } }, async (req) => {
      const row = await service.registerVolunteer(deps, requireCtx(req), req.body);
      return (await service.presentVolunteers(deps.db, [row], deps.crypto))[0];
    });
    app.get('/api/volunteers/export', { schema: { tags, summary: '导出志愿者与服务记录（全国志愿服务信息系统字段，含完整证件号码，记入审计）' } }, async (req, reply) => {
      const file = await exportForNationalSystem(deps, requireCtx(req));
      return reply.header('content-type', file.mime).header('content-disposition', attachmentHeader(file.fileName)).header('cache-control', 'no-store').send(file.buffer);
    });
    app.get('/api/volunteers/import/template', { schema: { tags, summary: '下载志愿者导入模板' } }, async (req, reply) => {
      requireCtx(req);
      const file = await importTemplate();
      return reply.header('content-type', file.mime).header('content-disposition', attachmentHeader(file.fileName)).header('cache-control', 'no-store').send(file.buffer);
    });
    app.post(
      '/api/volunteers/import',
      {
        schema: {
          tags,
          summary: '批量导入志愿者：commit=false 预览逐行校验（含文件内与库内重复），commit=true 全部导入或全部不导入（multipart 文件字段 file）',
          querystring: z.object({ commit: QueryBool.default(false) }),
          response: { 200: VolunteerImportPreview },
        },
      },
      async (req) => {
        const ctx = requireCtx(req);
        // who may import is decided before the upload is read
        volunteersPolicy.requireManageUnit(ctx.actor, ctx.actor.unitPath);
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传 Excel 文件');
        const part = await req.file();
        if (!part) throw new AppError('BAD_REQUEST', '请选择要导入的 Excel 文件');
        const buffer = await part.toBuffer();
        if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件过大');
        if (!isXlsx(buffer)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只支持 .xlsx 格式的 Excel 文件（.xls、.csv 请先在 Excel 中“另存为 .xlsx”）');
        return importVolunteers(deps, ctx, buffer, req.query.commit);
      },
    );
    app.get('/api/volunteers/ratio', { schema: { tags, summary: '注册志愿者占常住人口比例（按下级单位，可逐级下钻）', querystring: z.object({ parentId: Id.optional() }), response: { 200: RatioTable } } }, async (req) =>
      records.ratioTable(deps, requireCtx(req), req.query.parentId),
    );
    app.get('/api/volunteers/:id', { schema: { tags, summary: '志愿者详情（证件号码、手机号脱敏）', params: IdParams, response: { 200: Volunteer } } }, async (req) =>
      service.getVolunteer(deps, requireCtx(req), req.params.id),
    );
    app.get('/api/volunteers/:id/contact', { schema: { tags, summary: '查看完整证件号码与手机号（管理权限，记入审计）', params: IdParams, response: { 200: VolunteerContact } } }, async (req) =>
      service.volunteerContact(deps, requireCtx(req), req.params.id),
    );

    // teams and stations
    app.get('/api/volunteer-teams', { schema: { tags, summary: '志愿队（本辖区及本人管理的）', response: { 200: z.array(Team) } } }, async (req) => teams.listTeams(deps, requireCtx(req)));
    app.post('/api/volunteer-teams', { schema: { tags, summary: '新建志愿队', body: TeamRequest, response: { 200: z.object({ id: z.string() }) } } }, async (req) =>
      teams.createTeam(deps, requireCtx(req), req.body),
    );
    app.put('/api/volunteer-teams/:id', { schema: { tags, summary: '修改志愿队', params: IdParams, body: TeamUpdateRequest, response: { 200: z.object({ id: z.string() }) } } }, async (req) =>
      teams.updateTeam(deps, requireCtx(req), req.params.id, req.body),
    );
    app.get('/api/volunteer-teams/:id/members', { schema: { tags, summary: '队员与入队申请', params: IdParams, response: { 200: z.array(TeamMember) } } }, async (req) =>
      teams.listMembers(deps, requireCtx(req), req.params.id),
    );
    app.post(
      '/api/volunteer-teams/:id/members/:volunteerId/decide',
      { schema: { tags, summary: '审批入队申请（志愿队管理员）', params: z.object({ id: Id, volunteerId: Id }), body: DecideMemberRequest, response: { 200: z.object({ state: z.string() }) } } },
      async (req) => teams.decideMember(deps, requireCtx(req), req.params.id, req.params.volunteerId, req.body.approve),
    );
    app.get('/api/volunteer-stations', { schema: { tags, summary: '学雷锋志愿服务站、新时代文明实践所/站', response: { 200: z.array(Station) } } }, async (req) => teams.listStations(deps, requireCtx(req)));
    app.post('/api/volunteer-stations', { schema: { tags, summary: '新建服务站', body: StationRequest, response: { 200: z.object({ id: z.string() }) } } }, async (req) =>
      teams.createStation(deps, requireCtx(req), req.body),
    );

    // activities
    app.get('/api/volunteer-activities', { schema: { tags, summary: '志愿活动', querystring: ListActivitiesQuery, response: { 200: ActivityPage } } }, async (req) =>
      activities.listActivities(deps, requireCtx(req), req.query),
    );
    app.post('/api/volunteer-activities', { schema: { tags, summary: '发布志愿活动（志愿队管理员）', body: ActivityRequest, response: { 200: z.object({ id: z.string() }) } } }, async (req) =>
      activities.createActivity(deps, requireCtx(req), req.body),
    );
    app.get('/api/volunteer-activities/:id', { schema: { tags, summary: '活动详情', params: IdParams, response: { 200: Activity } } }, async (req) =>
      activities.getActivity(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/volunteer-activities/:id/cancel', { schema: { tags, summary: '取消活动（开始前）', params: IdParams, response: { 200: Ok } } }, async (req) => {
      await activities.cancelActivity(deps, requireCtx(req), req.params.id);
      return { ok: true as const };
    });
    app.get('/api/volunteer-activities/:id/attendance', { schema: { tags, summary: '报名与签到签退情况', params: IdParams, response: { 200: z.array(Attendance) } } }, async (req) =>
      activities.listAttendance(deps, requireCtx(req), req.params.id),
    );
    app.get(
      '/api/volunteer-activities/:id/checkin-code',
      { schema: { tags, summary: '组织者手机上的签到二维码与 6 位签到码（每 30 秒轮换）', params: IdParams, response: { 200: CheckinCodeResponse } } },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return activities.checkinCodeFor(deps, requireCtx(req), req.params.id, originOf(req));
      },
    );

    // records
    app.get('/api/volunteer-records', { schema: { tags, summary: '服务记录与审核队列', querystring: ListRecordsQuery, response: { 200: ServiceRecordPage } } }, async (req) =>
      records.listRecords(deps, requireCtx(req), req.query),
    );
    app.post('/api/volunteer-records', { schema: { tags, summary: '补录服务时长（来源、原因、证明材料；不超过活动计划时长；须另一位管理员审核）', body: ManualRecordRequest, response: { 200: ServiceRecord } } }, async (req) =>
      records.addManualRecord(deps, requireCtx(req), req.body),
    );
    app.post('/api/volunteer-records/:id/decide', { schema: { tags, summary: '审核服务记录：通过 / 不通过', params: IdParams, body: DecideRecordRequest, response: { 200: ServiceRecord } } }, async (req) =>
      records.decideRecord(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post('/api/volunteer-records/:id/correct', { schema: { tags, summary: '更正服务记录（新增一条引用原记录的待审核记录）', params: IdParams, body: CorrectionRequest, response: { 200: ServiceRecord } } }, async (req) => {
      const ctx = requireCtx(req);
      return records.correctRecord(deps, { ctx }, req.params.id, req.body);
    });

    // certificates
    app.get('/api/volunteer-certificates', { schema: { tags, summary: '已出具的志愿服务记录证明', querystring: PageQuery.extend({ volunteerId: Id.optional() }), response: { 200: CertificatePage } } }, async (req) =>
      records.listCertificates(deps, requireCtx(req), req.query, originOf(req)),
    );
    app.post('/api/volunteer-certificates', { schema: { tags, summary: '出具志愿服务记录证明（仅依据审核通过的记录，免费）', body: IssueCertificateRequest, response: { 200: Certificate } } }, async (req) => {
      const ctx = requireCtx(req);
      const c = await records.issueCertificate(deps, { ctx, volunteerId: req.body.volunteerId, selfService: false }, req.body);
      return records.presentCertificate(c, originOf(req));
    });
    app.get('/api/volunteer-certificates/:id/file', { schema: { tags, summary: '下载证明（PDF 或 Word）', params: IdParams, querystring: FileFormat } }, async (req, reply) => {
      const c = await records.getCertificateFor(deps, requireCtx(req), req.params.id);
      return sendCertificate(reply, c, req.query.format, records.verifyUrl(originOf(req), c.verifyCode));
    });
  };

export async function sendCertificate(
  reply: import('fastify').FastifyReply,
  c: Parameters<typeof certificateDocx>[0],
  format: 'docx' | 'pdf',
  url: string,
) {
  const buf = format === 'docx' ? await certificateDocx(c, url) : await certificatePdf(c, url);
  return reply
    .header('content-type', format === 'docx' ? DOCX_MIME : PDF_MIME)
    .header('content-disposition', attachmentHeader(`志愿服务记录证明-${c.number}.${format}`))
    .header('cache-control', 'no-store')
    .send(buf);
}
