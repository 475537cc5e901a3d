import { registerScopePath } from '../org/index.ts';
import { volunteerActivities, volunteerCertificates, volunteerRecords, volunteers, volunteerStations, volunteerTeams } from './volunteers.tables.ts';

registerScopePath(volunteers, volunteers.communityPath, '志愿者所在社区');
registerScopePath(volunteerTeams, volunteerTeams.unitPath, '志愿服务队所属单位');
registerScopePath(volunteerStations, volunteerStations.unitPath, '志愿服务站所属单位');
registerScopePath(volunteerActivities, volunteerActivities.unitPath, '志愿活动所属单位');
registerScopePath(volunteerRecords, volunteerRecords.unitPath, '服务记录所属单位');
registerScopePath(volunteerCertificates, volunteerCertificates.issuerUnitPath, '志愿服务证明出具单位');
