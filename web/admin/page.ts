import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import { lazy } from 'react';
import type { Permission } from '../../contracts/permissions.ts';

/** One page of the admin menu; the feature folders declare theirs, web/admin/menu.tsx assembles them. */
export type Page = {
  path: string;
  label: string;
  permission?: Permission;
  /** a route without a menu entry (a detail page such as /issues/:id) */
  hidden?: boolean;
  Component: LazyExoticComponent<ComponentType>;
};
export type Section = { key: string; label: string; icon: ReactNode; pages: Page[] };

/** A page component loaded on first visit (one chunk per page): page(() => import('./X.tsx'), 'X'). */
export const page = <M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M): LazyExoticComponent<ComponentType> =>
  lazy(async () => ({ default: (await load())[name] as ComponentType }));
export type Loader = typeof page;
