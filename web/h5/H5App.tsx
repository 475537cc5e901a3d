import { Spin } from 'antd';
import { Navigate, Route, Routes } from 'react-router';
import { useMe } from '../shared/session.ts';
import { H5Home } from './pages/H5Home.tsx';
import { H5Login } from './pages/H5Login.tsx';

export function H5App() {
  const { data: me, isLoading } = useMe();
  if (isLoading) {
    return (
      <div style={{ padding: 64, textAlign: 'center' }}>
        <Spin />
      </div>
    );
  }
  if (!me) return <H5Login />;
  return (
    <Routes>
      <Route path="/" element={<H5Home me={me} />} />
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
