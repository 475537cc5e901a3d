import type { Loader, Page } from '../../page.ts';

/** The 问题整改 pages of the admin menu (web/admin/menu.tsx adds them as one section). */
export const issuePages = (page: Loader): Page[] => [
  { path: '/issues', label: '问题列表', permission: 'issues.read', Component: page(() => import('./IssuesPage.tsx'), 'IssuesPage') },
  { path: '/issues/dispatch', label: '调度台', permission: 'issues.dispatch', Component: page(() => import('./DispatchPage.tsx'), 'DispatchPage') },
  { path: '/issues/todo', label: '本单位待办', permission: 'issues.read', Component: page(() => import('./TodoPage.tsx'), 'TodoPage') },
  { path: '/issues/categories', label: '问题分类', permission: 'issues.manage', Component: page(() => import('./CategoriesPage.tsx'), 'CategoriesPage') },
  { path: '/issues/holidays', label: '节假日', permission: 'issues.read', Component: page(() => import('./HolidaysPage.tsx'), 'HolidaysPage') },
  { path: '/issues/:id', label: '问题详情', permission: 'issues.read', hidden: true, Component: page(() => import('./IssueDetailPage.tsx'), 'IssueDetailPage') },
];
