/** The phone pages of 问题整改 (routes in web/h5/H5App.tsx, entries on H5Home). */
export { H5IssueDetailPage } from './H5IssueDetailPage.tsx';
export { H5IssueListPage } from './H5IssueListPage.tsx';
export { H5IssueReportPage } from './H5IssueReportPage.tsx';
export { H5MessagesPage } from './H5MessagesPage.tsx';
export { IssueEntries } from './IssueEntries.tsx';
