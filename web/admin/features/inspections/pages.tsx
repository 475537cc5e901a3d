import { AuditOutlined } from '@ant-design/icons';
import type { Loader, Section } from '../../page.ts';

/** The 督查检查 section of the admin menu. */
export const inspectionsSection = (page: Loader): Section => ({
  key: 'inspections',
  label: '督查检查',
  icon: <AuditOutlined />,
  pages: [
    { path: '/inspections/results', label: '检查结果', permission: 'inspections.read', Component: page(() => import('./InspectionPages.tsx'), 'ResultsPage') },
    { path: '/inspections/results/:id', label: '检查详情', permission: 'inspections.read', hidden: true, Component: page(() => import('./InspectionPages.tsx'), 'InspectionPage') },
    { path: '/inspections/scores', label: '督查得分', permission: 'inspections.read', Component: page(() => import('./InspectionPages.tsx'), 'ScoresPage') },
    { path: '/inspections/occurrences', label: '检查任务', permission: 'inspections.perform', Component: page(() => import('./InspectionPages.tsx'), 'OccurrencesPage') },
    { path: '/inspections/plans', label: '督查计划', permission: 'inspections.perform', Component: page(() => import('./InspectionPages.tsx'), 'PlansPage') },
    { path: '/inspections/templates', label: '测评细则', permission: 'inspections.read', Component: page(() => import('./InspectionPages.tsx'), 'TemplatesPage') },
    { path: '/inspections/teams', label: '督查组', permission: 'inspections.perform', Component: page(() => import('./InspectionPages.tsx'), 'TeamsPage') },
  ],
});
