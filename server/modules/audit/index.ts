export { type AuditChange, audit, auditStatement } from './audit.service.ts';
export { auditRoutes } from './audit.routes.ts';
