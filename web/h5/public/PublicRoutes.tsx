import { Route, Routes } from 'react-router';
import { ReportPage } from './ReportPage.tsx';
import { TrackPage } from './TrackPage.tsx';

/** Pages anyone may open without logging in (paths under /h5). */
export const isPublicPath = (pathname: string): boolean => /^\/(report|track)(\/|$)/.test(pathname);

export function PublicRoutes() {
  return (
    <Routes>
      <Route path="/report" element={<ReportPage />} />
      <Route path="/track" element={<TrackPage />} />
      <Route path="/track/:code" element={<TrackPage />} />
    </Routes>
  );
}
