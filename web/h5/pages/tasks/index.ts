export { H5TaskPage } from './H5TaskPage.tsx';
export { H5TasksPage } from './H5TasksPage.tsx';
export { H5TasksEntry } from './H5TasksEntry.tsx';
