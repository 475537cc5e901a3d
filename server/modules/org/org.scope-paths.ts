import { points } from './org.tables.ts';
import { registerScopePath } from './scope-paths.ts';

// Points answer to the place they lie in (org_units.path itself is rewritten by the move).
registerScopePath(points, points.areaPath, '点位所在地');
