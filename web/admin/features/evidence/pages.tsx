import { FileDoneOutlined } from '@ant-design/icons';
import type { Loader, Section } from '../../page.ts';

/** The 材料审核 section of the admin menu (web/admin/menu.tsx adds it with one line). */
export const evidenceSection = (page: Loader): Section => ({
  key: 'evidence',
  label: '材料审核',
  icon: <FileDoneOutlined />,
  pages: [
    { path: '/evidence/mine', label: '我的材料', permission: 'evidence.submit', Component: page(() => import('./MyEvidencePage.tsx'), 'MyEvidencePage') },
    { path: '/evidence/review', label: '审核队列', permission: 'evidence.review', Component: page(() => import('./ReviewPage.tsx'), 'ReviewPage') },
    { path: '/evidence/matrix', label: '完备性矩阵', permission: 'evidence.read', Component: page(() => import('./MatrixPage.tsx'), 'MatrixPage') },
    { path: '/evidence/requirements', label: '材料要求', permission: 'evidence.read', Component: page(() => import('./RequirementsPage.tsx'), 'RequirementsPage') },
  ],
});
