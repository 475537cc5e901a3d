export { H5EvidenceEntry } from './H5EvidenceEntry.tsx';
export { H5EvidenceListPage } from './H5EvidenceListPage.tsx';
export { H5EvidencePage } from './H5EvidencePage.tsx';
