// Every table of every module, for drizzle-kit and the typed client.
export * from '../modules/audit/audit.tables.ts';
export * from '../modules/auth/auth.tables.ts';
export * from '../modules/files/files.tables.ts';
export * from '../modules/org/org.tables.ts';
export * from '../modules/users/users.tables.ts';
export * from '../modules/system/system.tables.ts';
export * from '../modules/issues/issues.tables.ts';
export * from '../modules/issues/supervision.tables.ts';
export * from '../modules/indicators/indicators.tables.ts';
export * from '../modules/issues/holidays.tables.ts';
export * from '../modules/notifications/notifications.tables.ts';
export * from '../modules/saved-views/saved-views.tables.ts';
export * from '../modules/open311/open311.tables.ts';
export * from '../modules/issues/public.tables.ts';
export * from '../modules/indicators/evidence/evidence.tables.ts';
export * from '../modules/surveys/surveys.tables.ts';
export * from '../modules/surveys/quizzes.tables.ts';
