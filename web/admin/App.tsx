import { Spin } from 'antd';
import { Suspense, useEffect } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { onUnauthenticated } from '../shared/api.ts';
import { useMe } from '../shared/session.ts';
import { ChangePasswordCard } from '../shared/components/ChangePasswordCard.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { AdminLayout } from './Layout.tsx';
import { visibleRoutes } from './menu.tsx';

const Fallback = () => (
  <div style={{ padding: 48, textAlign: 'center' }}>
    <Spin />
  </div>
);

export function App() {
  const { data: me, isLoading, refetch } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => onUnauthenticated(() => void refetch()), [refetch]);

  if (isLoading) return <Fallback />;
  if (!me) {
    if (location.pathname !== '/login') return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
    return <LoginPage onLoggedIn={(next) => navigate(next || '/', { replace: true })} />;
  }
  if (me.user.mustChangePassword) {
    return (
      <div className="cw-login">
        <ChangePasswordCard forced />
      </div>
    );
  }
  const routes = visibleRoutes(me);
  return (
    <AdminLayout me={me}>
      <Suspense fallback={<Fallback />}>
        <Routes>
          {routes.map((r) => (
            <Route key={r.path} path={r.path} element={<r.Component />} />
          ))}
          <Route path="/account/password" element={<ChangePasswordCard />} />
          <Route path="/login" element={<Navigate to="/" replace />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Suspense>
    </AdminLayout>
  );
}
