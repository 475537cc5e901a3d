export { importRoutes } from './import.routes.ts';
export { commitImport, exportKind, type ImportFile, importTemplate, previewImport } from './import.service.ts';
