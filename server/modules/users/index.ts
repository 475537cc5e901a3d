export { userRoutes } from './users.routes.ts';
export { usersPolicy, canGrant } from './users.policy.ts';
