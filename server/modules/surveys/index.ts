export { publicPageData } from './public-page.ts';
export { surveyRoutes } from './surveys.routes.ts';
export { quizRoutes } from './quizzes.routes.ts';
