import { z } from 'zod';

/** A page key such as `issues` or `issues-map`: whose filters the view holds. */
export const SavedViewPage = z.string({ message: '请指定页面' }).regex(/^[a-z][a-z0-9-]{0,39}$/, '页面标识须为小写字母、数字或连字符，最多 40 个字符');

/** A filter value as a page keeps it in its URL query. */
const QueryValue = z.union([z.string().max(200), z.number(), z.boolean(), z.null(), z.array(z.string().max(200)).max(50)]);

export const SavedView = z.object({
  id: z.string(),
  page: z.string(),
  name: z.string(),
  query: z.record(z.string(), QueryValue),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedView = z.infer<typeof SavedView>;

/** POST /api/saved-views: a view of the same page and name is replaced. */
export const SaveViewRequest = z.object({
  page: SavedViewPage,
  name: z.string().trim().min(1, '请填写视图名称').max(30, '视图名称最多 30 个字符'),
  query: z.record(z.string().max(40, '筛选项名称最多 40 个字符'), QueryValue).refine((q) => Object.keys(q).length <= 30, '筛选条件最多 30 项'),
});
export type SaveViewRequest = z.infer<typeof SaveViewRequest>;

export const ListSavedViewsQuery = z.object({ page: SavedViewPage });
