export { authRoutes } from './auth.routes.ts';
export { hashPassword, resolveSession } from './auth.service.ts';
export { type ProfileRow, SESSION_SQL } from './auth.repo.ts';
