export { type AuditChange, audit } from './audit.service.ts';
export { auditRoutes } from './audit.routes.ts';
