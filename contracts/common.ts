import { z } from 'zod';

export const Id = z.uuid({ message: '必须是有效的 ID' });

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type PageQuery = z.infer<typeof PageQuery>;

export function paged<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
export type Paged<T> = { items: T[]; total: number; page: number; pageSize: number };

export const IdParams = z.object({ id: Id });
export const Version = z.number().int().min(1);
export const Ok = z.object({ ok: z.literal(true) });

/** "true"/"false" in query strings. */
export const QueryBool = z.enum(['true', 'false']).transform((v) => v === 'true');
