import { registerScopePath } from '../org/index.ts';
import { taskUnits } from './indicators.tables.ts';

registerScopePath(taskUnits, taskUnits.unitPath, '任务责任单位');
