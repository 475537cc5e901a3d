export { unitRoutes } from './units.routes.ts';
export { orgPolicy } from './org.policy.ts';
export { getUnit as getUnitRow, getUnitsByIds } from './units.repo.ts';
