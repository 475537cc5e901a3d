// Registers the 'inspection' file owner type (inspection photos) and the missed-occurrence schedule.
import './inspections.files.ts';
import './inspections.schedules.ts';
import './inspections.scope-paths.ts';

export { inspectionRoutes } from './inspections.routes.ts';
export { markMissedOccurrences, raiseIssues } from './inspections.service.ts';
export { seedInspectionsDemo } from './inspections.demo.ts';
