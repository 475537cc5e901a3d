// Registers the 'evidence_item' file owner type with the files module.
import './evidence.files.ts';

export { evidenceRoutes } from './evidence.routes.ts';
export { completenessMatrix, type MatrixCellRow, type MatrixParams } from './evidence.repo.ts';
export { generate as generateDueEvidence } from './evidence.service.ts';
