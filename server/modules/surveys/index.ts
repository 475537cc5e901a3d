export { publicPageData } from './public-page.ts';
export { surveyRoutes } from './surveys.routes.ts';
