/**
 * Permissions are strings held by roles (roles are data). Data scope is separate: a permission
 * says what kind of action, the actor's org subtree (policy) says on which records.
 */
export const Permissions = {
  'org.read': '查看组织体系（单位、网格、责任区、点位）',
  'org.write': '维护组织体系',
  'scope.city.read': '查看全市数据（不限本单位）',
  'users.read': '查看用户',
  'users.write': '维护用户、重置密码、停用',
  'roles.write': '维护角色',
  'audit.read': '查看审计日志',
  'system.apikeys': '管理 Open311 接口密钥（发放、停用）',
  'system.jobs': '查看并管理全部后台任务与定时任务（他人提交的也可取消、重试）',
  'files.upload': '上传文件',
  'issues.read': '查看问题（本辖区、派给本单位的、本人上报的）',
  'issues.report': '上报问题',
  'issues.dispatch': '受理、立案、派遣、批准延期、结案',
  'issues.verify': '现场核查整改结果',
  'issues.manage': '维护问题分类',
  'issues.supervise': '签发、办结督办函',
  'issues.stats': '查看问题整改统计分析（本辖区、本单位）',
  'indicators.read': '查看测评体系与任务（本单位及下级的任务与进度）',
  'indicators.manage': '维护测评体系、任务分解表与目标责任书',
  'tasks.report': '报送本单位任务进度',
  'evidence.read': '查看材料与完备性矩阵（本辖区、本单位）',
  'evidence.submit': '报送本单位材料',
  'evidence.review': '审核材料（本辖区），导出材料归档包',
  'evidence.manage': '维护材料要求，生成各期待报材料',
  'surveys.read': '查看问卷调查结果（汇总数据，不含答卷人身份）',
  'surveys.manage': '维护问卷、调查轮次、配额与邀请码（市级）',
  'surveys.collect': '调查员入户/街访代填问卷',
  'quizzes.read': '查看应知应会测试与单位排行',
  'quizzes.manage': '维护应知应会题库与测试（市级），录入单位名册人数',
} as const;

export type Permission = keyof typeof Permissions;
export const ALL_PERMISSIONS = Object.keys(Permissions) as Permission[];

/** The roles of PRODUCT.md §2 that the system creates; more can be added as data. */
export const SYSTEM_ROLES: { code: string; name: string; description: string; permissions: Permission[] }[] = [
  { code: 'city_admin', name: '市创文办管理员', description: '管理测评体系、任务、方案、排名与通报', permissions: ALL_PERMISSIONS },
  {
    code: 'district_admin',
    name: '区/街道创文办管理员',
    description: '管理本辖区的组织、用户与工作',
    permissions: [
      'org.read',
      'org.write',
      'users.read',
      'users.write',
      'audit.read',
      'files.upload',
      'issues.read',
      'issues.report',
      'issues.dispatch',
      'issues.verify',
      'issues.manage',
      'issues.supervise',
      'issues.stats',
      'indicators.read',
      'tasks.report',
      'evidence.read',
      'evidence.submit',
      'evidence.review',
      'surveys.read',
      'surveys.collect',
      'quizzes.read',
    ],
  },
  { code: 'unit_contact', name: '责任单位联络员', description: '查看本单位任务与问题，报送材料，整改反馈', permissions: ['org.read', 'files.upload', 'issues.read', 'issues.report', 'issues.stats', 'indicators.read', 'tasks.report', 'evidence.read', 'evidence.submit', 'quizzes.read'] },
  { code: 'inspector', name: '督查员', description: '制定并执行督查，核查整改', permissions: ['org.read', 'scope.city.read', 'files.upload', 'issues.read', 'issues.report', 'issues.verify', 'issues.stats', 'indicators.read', 'evidence.read', 'surveys.read', 'surveys.collect', 'quizzes.read'] },
  { code: 'grid_worker', name: '网格员', description: '每日巡查本网格，上报并跟进问题', permissions: ['org.read', 'files.upload', 'issues.read', 'issues.report', 'issues.verify', 'surveys.collect'] },
  { code: 'supervisor', name: '义务监督员', description: '上报问题并查看处理进展', permissions: ['files.upload', 'issues.read', 'issues.report'] },
];
