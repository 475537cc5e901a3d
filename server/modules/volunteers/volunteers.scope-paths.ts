import { registerScopePath } from '../org/index.ts';
import { volunteerActivities, volunteerCertificates, volunteerRecords, volunteerStations, volunteers, volunteerTeams } from './volunteers.tables.ts';

// Paths that carry a volunteer record's scope: a unit move rewrites them (org module).
registerScopePath(volunteers, volunteers.communityPath, '志愿者所在社区');
registerScopePath(volunteerTeams, volunteerTeams.unitPath, '志愿队所属单位');
registerScopePath(volunteerStations, volunteerStations.unitPath, '志愿服务站所属单位');
registerScopePath(volunteerActivities, volunteerActivities.unitPath, '志愿活动组织单位');
registerScopePath(volunteerRecords, volunteerRecords.unitPath, '服务记录记录单位');
registerScopePath(volunteerCertificates, volunteerCertificates.issuerUnitPath, '志愿服务证明出具单位');
