// Registers the volunteers module's scope-carrying path columns with the org module.
import './volunteers.scope-paths.ts';
// Registers the 'volunteer_record' file owner type (补录 evidence) with the files module.
import './volunteers.files.ts';
// Registers the end-of-activity schedule with the job queue.
import './volunteers.schedules.ts';

export { volunteerRoutes } from './volunteers.routes.ts';
export { volunteerPublicRoutes } from './volunteers.public.routes.ts';
export { closeEndedActivities } from './activities.service.ts';
export { seedVolunteersDemo } from './volunteers.demo.ts';
