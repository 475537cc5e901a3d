import { z } from 'zod';
import { PageQuery } from './common.ts';

export const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorUnitId: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = PageQuery.extend({
  actor: z.string().trim().max(64).optional().describe('用户名或姓名'),
  entity: z.string().trim().max(64).optional(),
  entityId: z.string().trim().max(64).optional(),
  from: z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601' }).optional(),
  to: z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601' }).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntityLabels: Record<string, string> = {
  org_unit: '单位',
  grid: '网格',
  zone: '责任区',
  point: '点位',
  point_type: '点位类型',
  sponsorship: '包保关系',
  user: '用户',
  role: '角色',
  session: '登录',
  file: '文件',
  import: '导入',
  issue: '问题',
  issue_category: '问题类别',
  supervision_letter: '督办函',
  indicator_system: '测评体系',
  indicator_node: '测评节点',
  task: '任务',
  responsibility_letter: '目标责任书',
  indicator_settings: '任务设置',
  survey_questionnaire: '问卷',
  survey_version: '问卷版本',
  survey_round: '调查轮次',
  survey_tokens: '调查邀请码',
  survey_response: '调查员代填答卷',
  quiz_question: '应知应会题目',
  quiz: '知识测试',
  quiz_roster: '单位名册人数',
  job: '后台任务',
  volunteer: '志愿者',
  volunteer_team: '志愿队',
  volunteer_station: '志愿服务站',
  volunteer_activity: '志愿活动',
  volunteer_record: '志愿服务记录',
  volunteer_certificate: '志愿服务记录证明',
  volunteer_settings: '志愿服务设置',
};
