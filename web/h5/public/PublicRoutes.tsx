import { Route, Routes } from 'react-router';
import { ReportPage } from './ReportPage.tsx';
import { TrackPage } from './TrackPage.tsx';
import { CertificateVerify, VolunteerActivity, VolunteerCheckin, VolunteerHome, VolunteerLogin, VolunteerRegister } from '../volunteer/VolunteerPages.tsx';

/** Pages anyone may open without logging in (paths under /h5). */
export const isPublicPath = (pathname: string): boolean => /^\/(report|track|v)(\/|$)/.test(pathname);

export function PublicRoutes() {
  return (
    <Routes>
      <Route path="/report" element={<ReportPage />} />
      <Route path="/track" element={<TrackPage />} />
      <Route path="/track/:code" element={<TrackPage />} />
      <Route path="/v" element={<VolunteerHome />} />
      <Route path="/v/register" element={<VolunteerRegister />} />
      <Route path="/v/login" element={<VolunteerLogin />} />
      <Route path="/v/activities/:id" element={<VolunteerActivity />} />
      <Route path="/v/checkin" element={<VolunteerCheckin />} />
      <Route path="/v/verify/:code" element={<CertificateVerify />} />
    </Routes>
  );
}
