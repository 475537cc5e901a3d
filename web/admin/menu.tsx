import { AlertOutlined, ApartmentOutlined, CarryOutOutlined, DashboardOutlined, SettingOutlined } from '@ant-design/icons';
import type { Me } from '../../contracts/auth.ts';
import { issuePages } from './features/issues/pages.ts';
import { supervisionPages } from './features/issues/supervision/pages.ts';
import { evidenceSection } from './features/evidence/pages.tsx';
import { inspectionsSection } from './features/inspections/pages.tsx';
import { volunteerSection } from './features/volunteers/pages.tsx';
import { surveysSection } from './features/surveys/pages.tsx';
import { type Page, page, type Section } from './page.ts';

/**
 * The menu of PRODUCT.md: a section appears only when it has a working page the user may open.
 * Modules not yet built (督查检查, 考核通报) are added here as their pages land;
 * a feature folder may declare its pages (features/issues/pages.ts) and be added with one line.
 */
export const SECTIONS: Section[] = [
  {
    key: 'workbench',
    label: '工作台',
    icon: <DashboardOutlined />,
    pages: [{ path: '/', label: '工作台', Component: page(() => import('./features/workbench/WorkbenchPage.tsx'), 'WorkbenchPage') }],
  },
  {
    key: 'org',
    label: '组织体系',
    icon: <ApartmentOutlined />,
    pages: [
      { path: '/org/units', label: '单位', permission: 'org.read', Component: page(() => import('./features/org/UnitsPage.tsx'), 'UnitsPage') },
      { path: '/org/grids', label: '网格', permission: 'org.read', Component: page(() => import('./features/org/GridsPage.tsx'), 'GridsPage') },
      { path: '/org/zones', label: '责任区', permission: 'org.read', Component: page(() => import('./features/org/ZonesPage.tsx'), 'ZonesPage') },
      { path: '/org/points', label: '点位', permission: 'org.read', Component: page(() => import('./features/org/PointsPage.tsx'), 'PointsPage') },
      {
        path: '/org/sponsorships',
        label: '包保关系',
        permission: 'org.read',
        Component: page(() => import('./features/org/SponsorshipsPage.tsx'), 'SponsorshipsPage'),
      },
    ],
  },
  { key: 'issues', label: '问题整改', icon: <AlertOutlined />, pages: [...issuePages(page), ...supervisionPages(page)] },
  {
    key: 'indicators',
    label: '测评任务',
    icon: <CarryOutOutlined />,
    pages: [
      { path: '/indicators/systems', label: '测评体系', permission: 'indicators.read', Component: page(() => import('./features/indicators/SystemsPage.tsx'), 'SystemsPage') },
      { path: '/indicators/tasks', label: '任务分解表', permission: 'indicators.read', Component: page(() => import('./features/indicators/TasksPage.tsx'), 'TasksPage') },
      { path: '/indicators/tasks/import', label: '导入任务分解表', permission: 'indicators.manage', hidden: true, Component: page(() => import('./features/indicators/TaskImportPage.tsx'), 'TaskImportPage') },
      { path: '/indicators/progress', label: '任务进度', permission: 'indicators.read', Component: page(() => import('./features/indicators/ProgressPage.tsx'), 'ProgressPage') },
    ],
  },
  evidenceSection(page),
  inspectionsSection(page),
  volunteerSection(page),
  surveysSection(page),
  {
    key: 'system',
    label: '系统管理',
    icon: <SettingOutlined />,
    pages: [
      { path: '/system/users', label: '用户', permission: 'users.read', Component: page(() => import('./features/system/UsersPage.tsx'), 'UsersPage') },
      { path: '/system/roles', label: '角色', permission: 'roles.write', Component: page(() => import('./features/system/RolesPage.tsx'), 'RolesPage') },
      { path: '/system/audit', label: '审计日志', permission: 'audit.read', Component: page(() => import('./features/system/AuditPage.tsx'), 'AuditPage') },
      { path: '/system/api-keys', label: '接口密钥', permission: 'system.apikeys', Component: page(() => import('./features/system/ApiKeysPage.tsx'), 'ApiKeysPage') },
      { path: '/system/jobs', label: '后台任务', Component: page(() => import('./features/system/JobsPage.tsx'), 'JobsPage') },
    ],
  },
];

const allowed = (me: Me, p: Page) => !p.permission || me.permissions.includes(p.permission);

const routable = (me: Me): Section[] =>
  SECTIONS.map((s) => ({ ...s, pages: s.pages.filter((p) => allowed(me, p)) })).filter((s) => s.pages.length > 0);

/** The menu: sections with the pages the user may open, detail routes left out. */
export function visibleSections(me: Me): Section[] {
  return routable(me)
    .map((s) => ({ ...s, pages: s.pages.filter((p) => !p.hidden) }))
    .filter((s) => s.pages.length > 0);
}

/** Every route the user may open, detail routes included. */
export const visibleRoutes = (me: Me): Page[] => routable(me).flatMap((s) => s.pages);
