export { apiKeyRoutes, open311Routes } from './open311.routes.ts';
