import { Spin } from 'antd';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { ChangePasswordCard } from '../shared/components/ChangePasswordCard.tsx';
import { useMe } from '../shared/session.ts';
import { H5Page } from './components/H5Page.tsx';
import { H5GridPage } from './pages/H5GridPage.tsx';
import { H5Home } from './pages/H5Home.tsx';
import { H5Login } from './pages/H5Login.tsx';
import { H5PointPage } from './pages/H5PointPage.tsx';
import { H5PointsPage } from './pages/H5PointsPage.tsx';
import { isPublicPath, PublicRoutes } from './public/PublicRoutes.tsx';
import { H5TaskPage, H5TasksPage } from './pages/tasks/index.ts';
import { H5EvidenceListPage, H5EvidencePage } from './pages/evidence/index.ts';
import { H5OrganiserActivity } from './pages/volunteers/H5Organiser.tsx';
import { H5IssueDetailPage, H5IssueListPage, H5IssueReportPage, H5MessagesPage } from './pages/issues/index.ts';

/** The public pages (随手拍, 办理进度) come before the login gate. */
export function H5App() {
  const { pathname } = useLocation();
  return isPublicPath(pathname) ? <PublicRoutes /> : <H5StaffApp />;
}

function H5StaffApp() {
  const { data: me, isLoading } = useMe();
  if (isLoading) {
    return (
      <div style={{ padding: 64, textAlign: 'center' }}>
        <Spin />
      </div>
    );
  }
  if (!me) return <H5Login />;
  if (me.user.mustChangePassword) {
    return (
      <H5Page title="设置新密码">
        <ChangePasswordCard forced />
      </H5Page>
    );
  }
  return (
    <Routes>
      <Route path="/" element={<H5Home me={me} />} />
      <Route path="/grids/:id" element={<H5GridPage />} />
      <Route path="/points" element={<H5PointsPage me={me} />} />
      <Route path="/points/:id" element={<H5PointPage />} />
      <Route path="/tasks" element={<H5TasksPage me={me} />} />
      <Route path="/tasks/:id" element={<H5TaskPage />} />
      <Route path="/evidence" element={<H5EvidenceListPage />} />
      <Route path="/evidence/:id" element={<H5EvidencePage />} />
      <Route path="/issues" element={<H5IssueListPage me={me} />} />
      <Route path="/issues/new" element={<H5IssueReportPage me={me} />} />
      <Route path="/issues/:id" element={<H5IssueDetailPage />} />
      <Route path="/messages" element={<H5MessagesPage />} />
      <Route path="/volunteer-activities/:id" element={<H5OrganiserActivity />} />
      <Route
        path="/account/password"
        element={
          <H5Page title="修改密码" back>
            <ChangePasswordCard />
          </H5Page>
        }
      />
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
