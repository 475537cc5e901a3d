import { HeartOutlined } from '@ant-design/icons';
import type { Loader, Section } from '../../page.ts';

/** 志愿服务: volunteers, teams and stations, activities, hour review, certificates, the ratio table. */
export function volunteerSection(page: Loader): Section {
  const load = () => import('./VolunteerAdminPages.tsx');
  return {
    key: 'volunteers',
    label: '志愿服务',
    icon: <HeartOutlined />,
    pages: [
      { path: '/volunteers', label: '志愿者', permission: 'volunteers.read', Component: page(load, 'VolunteersPage') },
      { path: '/volunteers/teams', label: '志愿队', permission: 'volunteers.read', Component: page(load, 'TeamsPage') },
      { path: '/volunteers/stations', label: '服务站', permission: 'volunteers.read', Component: page(load, 'StationsPage') },
      { path: '/volunteers/activities', label: '志愿活动', permission: 'volunteers.read', Component: page(load, 'ActivitiesPage') },
      { path: '/volunteers/records', label: '时长审核', permission: 'volunteers.read', Component: page(load, 'RecordsPage') },
      { path: '/volunteers/certificates', label: '服务证明', permission: 'volunteers.read', Component: page(load, 'CertificatesPage') },
      { path: '/volunteers/ratio', label: '注册比例', permission: 'volunteers.read', Component: page(load, 'RatioPage') },
    ],
  };
}
