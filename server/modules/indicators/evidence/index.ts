// Registers evidence_items.unit_path with the org module (scope paths rewritten when a unit moves).
import './evidence.scope-paths.ts';
// Registers the 'evidence_item' file owner type with the files module.
import './evidence.files.ts';
// Registers the daily generation of due items with the job queue.
import './evidence.schedules.ts';

export { evidenceRoutes } from './evidence.routes.ts';
export { completenessMatrix, type MatrixCellRow, type MatrixParams } from './evidence.repo.ts';
export { generateAllDue, generate as generateDueEvidence } from './evidence.service.ts';
