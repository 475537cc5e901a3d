import { registerScopePath } from '../org/index.ts';
import { issues } from './issues.tables.ts';
import { supervisionLetters } from './supervision.tables.ts';

registerScopePath(issues, issues.areaPath, '问题所在地');
registerScopePath(issues, issues.responsiblePath, '问题责任单位');
registerScopePath(supervisionLetters, supervisionLetters.unitPath, '督办函被督办单位');
registerScopePath(supervisionLetters, supervisionLetters.issuerPath, '督办函发函单位');
