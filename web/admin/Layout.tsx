import { LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Avatar, Breadcrumb, Dropdown, Layout, Menu, Space, Tag } from 'antd';
import type { ReactNode } from 'react';
import { Link, matchPath, useLocation, useNavigate } from 'react-router';
import type { Me } from '../../contracts/auth.ts';
import { useLogout } from '../shared/session.ts';
import { NotificationBell } from './features/issues/NotificationBell.tsx';
import { visibleRoutes, visibleSections } from './menu.tsx';
import type { Section } from './page.ts';

export function AdminLayout({ me, children }: { me: Me; children: ReactNode }) {
  const navigate = useNavigate();
  const location = useLocation();
  const logout = useLogout();
  const sections = visibleSections(me);
  const items = sections.map((s) =>
    s.pages.length === 1 && s.pages[0].label === s.label
      ? { key: s.pages[0].path, icon: s.icon, label: s.label }
      : { key: s.key, icon: s.icon, label: s.label, children: s.pages.map((p) => ({ key: p.path, label: p.label })) },
  );
  // the longest menu path the location starts with (/issues/dispatch is 调度台, not 问题列表)
  const selected =
    sections
      .flatMap((s) => s.pages)
      .filter((p) => p.path !== '/' && location.pathname.startsWith(p.path))
      .sort((a, b) => b.path.length - a.path.length)[0]?.path ?? '/';
  const openKey = sections.find((s) => s.pages.some((p) => p.path === selected))?.key;

  const crumbs = breadcrumbs(sections, visibleRoutes(me), location.pathname);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={220} breakpoint="lg" collapsedWidth={0} theme="dark" className="cw-sider">
        <div className="cw-brand">
          <span className="cw-brand-mark">创</span>创文通
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          defaultOpenKeys={openKey ? [openKey] : []}
          items={items}
          onClick={(e) => navigate(e.key)}
        />
      </Layout.Sider>
      <Layout>
        <div className="cw-header">
          <Space>
            <span style={{ fontWeight: 600 }}>{me.unit.path.join(' / ')}</span>
            {me.roles.map((r) => (
              <Tag key={r.code} color="red">
                {r.name}
              </Tag>
            ))}
          </Space>
          <Space size="middle">
            <NotificationBell />
            <Dropdown
              menu={{
                items: [
                  { key: 'password', icon: <LockOutlined />, label: '修改密码', onClick: () => navigate('/account/password') },
                  { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', onClick: () => void logout().then(() => navigate('/login')) },
                ],
              }}
            >
              <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} />
                {me.user.name}
              </Space>
            </Dropdown>
          </Space>
        </div>
        {me.isDemo && (
          <Alert banner type="info" title="演示环境：「示范市」为虚构城市，数据可随意修改。" showIcon={false} style={{ textAlign: 'center' }} />
        )}
        <Layout.Content className="cw-content">
          {crumbs.length > 0 && <Breadcrumb className="cw-breadcrumb" items={crumbs} data-testid="breadcrumb" />}
          {children}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/**
 * 组织体系 / 点位, or 问题整改 / 问题列表 / 问题详情 for a detail route: the section, the list page the
 * path belongs to (a link), and the detail page itself. None on the first level (工作台).
 */
function breadcrumbs(sections: Section[], routes: { path: string; label: string; hidden?: boolean }[], pathname: string): { title: ReactNode }[] {
  if (pathname === '/') return [];
  const route = routes.filter((p) => matchPath(p.path, pathname)).sort((a, b) => Number(a.path.includes(':')) - Number(b.path.includes(':')))[0];
  if (!route) return [];
  const section = sections.find((s) => s.pages.some((p) => p.path === route.path)) ?? sections.find((s) => s.pages.some((p) => route.path.startsWith(p.path)));
  const items: { title: ReactNode }[] = [];
  if (section && section.label !== route.label) items.push({ title: section.label });
  if (route.hidden) {
    const parent = section?.pages.filter((p) => !p.hidden && p.path !== '/' && pathname.startsWith(p.path)).sort((a, b) => b.path.length - a.path.length)[0];
    if (parent) items.push({ title: <Link to={parent.path}>{parent.label}</Link> });
  }
  items.push({ title: route.label });
  return items;
}
