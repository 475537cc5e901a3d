import { EvidenceActionLabels } from '../domain/evidence-flow.ts';
import { RECORD_ACTION_LABELS } from '../domain/volunteer-rules.ts';
import { NodeHistoryActionLabels } from './indicators.ts';
import { IssueActionLabels } from './issues.ts';
import { JobActionLabels } from './jobs.ts';
import { LetterActionLabels } from './supervision.ts';

/**
 * The Chinese of every audited action and entity (the audit log shows no raw code).
 * An action is labelled by its entity first (an issue's `sign` is 签收, a 目标责任书's `sign` is
 * 登记签订), then by the generic table. `audit-labels.test.ts` scans the server for `audit(` /
 * `auditStatement(` calls and fails when an action or entity written there has no label here:
 * a module that audits a new action adds its label in the same change.
 */
export const AuditEntityLabels: Record<string, string> = {
  org_unit: '单位',
  grid: '网格',
  zone: '责任区',
  point: '点位',
  point_type: '点位类型',
  sponsorship: '包保关系',
  org_import: '组织数据导入',
  user: '用户',
  role: '角色',
  session: '登录',
  file: '文件',
  import: '导入',
  issue: '问题',
  issue_category: '问题分类',
  holiday: '节假日',
  notification: '消息',
  saved_view: '常用筛选',
  api_key: '接口密钥',
  supervision_letter: '督办函',
  indicator_system: '测评体系',
  indicator_node: '测评节点',
  indicator_settings: '任务设置',
  task: '任务',
  responsibility_letter: '目标责任书',
  evidence_requirement: '材料要求',
  evidence_item: '佐证材料',
  evidence_matrix: '完备性矩阵',
  evidence_archive: '材料归档',
  job: '后台任务',
  survey_questionnaire: '问卷',
  survey_version: '问卷版本',
  survey_round: '调查轮次',
  survey_tokens: '答题凭证',
  survey_response: '问卷答卷',
  quiz: '知识测试',
  quiz_question: '测试题目',
  quiz_roster: '测试名单',
  volunteer: '志愿者',
  volunteer_settings: '志愿服务设置',
  volunteer_record: '服务时长记录',
  volunteer_certificate: '志愿服务证明',
  volunteer_team: '志愿服务队',
  volunteer_station: '志愿服务站',
  volunteer_activity: '志愿活动',
};

export const AuditActionLabels: Record<string, string> = {
  create: '新增',
  insert: '新增',
  update: '修改',
  delete: '删除',
  move: '移动',
  deactivate: '停用',
  activate: '启用',
  reactivate: '恢复',
  login: '登录',
  logout: '退出登录',
  login_failed: '登录失败',
  change_password: '修改密码',
  reset_password: '重置密码',
  unlock: '解锁',
  import: '导入',
  export: '导出',
  seed_demo: '初始化演示数据',
  bootstrap: '系统初始化',
  copy: '复制',
  report_progress: '报送进度',
  generate: '生成',
  upload: '上传',
  attach: '关联文件',
  discard: '清理未用文件',
  read: '标为已读',
  read_all: '全部标为已读',
  remind: '发送到期提醒',
  revoke: '停用',
  approve: '审核通过',
  reject: '审核不通过',
  return: '退回',
  submit: '提交',
  resubmit: '重新提交',
  publish: '发布',
  new_version: '新建版本',
  open: '开始',
  close: '结束',
  cancel: '取消',
  retry: '重试',
  purge: '清理过期',
  enqueue: '提交后台任务',
  issue_tokens: '生成答题凭证',
  collect: '入户采集答卷',
  register: '注册',
  view_contact: '查看联系方式',
  manual_record: '补录时长',
  correct: '更正时长',
  issue: '开具',
  join_request: '申请加入',
  join_approve: '批准加入',
  join_reject: '拒绝加入',
  signup: '报名',
  signup_waiting: '报名（候补）',
  signup_cancel: '取消报名',
  checkin: '签到',
  checkout: '签退',
  auto_checkout: '自动签退',
  superseded: '被替换',
  revise: '修订',
  retire: '停用',
  set_roster: '设置名单',
};

/** Labels that depend on the entity: the flows' own actions, and words that mean something else there. */
export const AuditEntityActionLabels: Record<string, Record<string, string>> = {
  issue: { ...IssueActionLabels, create: '上报' },
  supervision_letter: { ...LetterActionLabels, create: '签发' },
  responsibility_letter: { sign: '登记签订' },
  evidence_item: { ...EvidenceActionLabels },
  evidence_requirement: { generate: '生成待报材料' },
  indicator_node: { ...NodeHistoryActionLabels },
  volunteer_record: { ...RECORD_ACTION_LABELS },
  job: { ...JobActionLabels },
  survey_round: { open: '开始调查', close: '结束调查' },
  api_key: { revoke: '停用密钥' },
  file: { generate: '生成文件' },
};

/** 签收, 登记签订, 新增 …; null when the action has no label (the unit test prevents that). */
export function auditActionLabel(entity: string, action: string): string | null {
  return AuditEntityActionLabels[entity]?.[action] ?? AuditActionLabels[action] ?? null;
}
