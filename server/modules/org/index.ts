// The registry of scope-carrying *_path columns, first: other modules register theirs at import.
export { registerScopePath, registeredScopePaths, type ScopePathColumn } from './scope-paths.ts';
// Registers points.area_path.
import './org.scope-paths.ts';
// Registers the 'org_unit' file owner type with the files module.
import './org.files.ts';

export { unitRoutes } from './units.routes.ts';
export { placesRoutes } from './places.routes.ts';
export { orgPolicy, pointReadCond, gridReadCond, zoneReadCond } from './org.policy.ts';
export { getUnit as getUnitRow, getUnitsByIds } from './units.repo.ts';
export { loadPointWithUnits, MARKER_CAP } from './points.service.ts';
export { firstUnitOfPointSql, getPoint as getPointRow, getPointByName, isPointVisible } from './points.repo.ts';
export { getGrid as getGridRow } from './grids.repo.ts';
export { childUnitsWithPopulation, listCommunities, unitPopulation } from './units.repo.ts';
