// Registers task_units.unit_path with the org module (scope paths rewritten when a unit moves).
import './indicators.scope-paths.ts';
// Registers the 'task_progress' and 'responsibility_letter' file owner types with the files module.
import './indicators.files.ts';

export { indicatorRoutes } from './indicators.routes.ts';
export { indicatorsPolicy, taskReadCond } from './indicators.policy.ts';
export { importTaskTable, previewTaskTable, type ImportFile, type TaskImportOptions } from './task-import.ts';
export { exportTaskTable } from './task-export.ts';
export { getNodesByIds as getIndicatorNodesByIds } from './indicators.repo.ts';
