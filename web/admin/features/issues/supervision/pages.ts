import type { Loader, Page } from '../../../page.ts';

/** 督办函 and 统计分析 pages of the 问题整改 section (web/admin/menu.tsx appends them to the section). */
export const supervisionPages = (page: Loader): Page[] => [
  { path: '/issues/supervision', label: '督办函', permission: 'issues.read', Component: page(() => import('./LettersPage.tsx'), 'LettersPage') },
  { path: '/issues/supervision/new', label: '签发督办函', permission: 'issues.supervise', hidden: true, Component: page(() => import('./CreateLetterPage.tsx'), 'CreateLetterPage') },
  { path: '/issues/supervision/:id', label: '督办函详情', permission: 'issues.read', hidden: true, Component: page(() => import('./LetterDetailPage.tsx'), 'LetterDetailPage') },
  { path: '/issues/metrics', label: '统计分析', permission: 'issues.stats', Component: page(() => import('../metrics/MetricsPage.tsx'), 'MetricsPage') },
];
