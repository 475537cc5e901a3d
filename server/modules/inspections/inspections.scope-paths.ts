import { registerScopePath } from '../org/index.ts';
import { inspectionPlans, inspections } from './inspections.tables.ts';

registerScopePath(inspections, inspections.areaPath, '督查点位所在地');
registerScopePath(inspectionPlans, inspectionPlans.unitPath, '督查计划制定单位');
