import { z } from 'zod';
import { PageQuery } from './common.ts';

export const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorUnitId: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  /** 签收, 新增 …: the Chinese of `action` for this entity */
  actionLabel: z.string(),
  /** 问题, 点位 …: the Chinese of `entity` */
  entityLabel: z.string(),
  /** what people call the object: a number, a name; null when it has none (a city-wide action) */
  entityName: z.string().nullable(),
  /** names of the ids that before/after mention (a unit, a person…), by id */
  refs: z.record(z.string(), z.string()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = PageQuery.extend({
  actor: z.string().trim().max(64).optional().describe('用户名或姓名'),
  entity: z.string().trim().max(64).optional(),
  entityId: z.string().trim().max(64).optional(),
  from: z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601' }).optional(),
  to: z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601' }).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export { AuditActionLabels, AuditEntityLabels, auditActionLabel } from './audit-labels.ts';
