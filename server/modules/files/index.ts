export { fileRoutes } from './files.routes.ts';
export { type FileOwnerCheck, type FileOwnerDeps, registerFileOwner } from './files.policy.ts';
export { attachFiles, listOwnerFiles, presentFile, shareFile } from './files.service.ts';
export { type IncomingFile, uploadFiles } from './files.service.ts';
export { sniff } from './files.media.ts';
export { ownerImages, storeGeneratedFile } from './files.generated.ts';
