export { authRoutes } from './auth.routes.ts';
export { hashPassword } from './auth.service.ts';
export { SESSION_SQL } from './auth.repo.ts';
