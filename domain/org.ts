import { ALLOWED_CHILD_KINDS, type OrgUnitKind } from '../contracts/org.ts';

/** Ids along a materialised path: pathIds('/a/b/c/') → ['a', 'b', 'c']. */
export const pathIds = (path: string): string[] => path.split('/').filter(Boolean);

/** The path of a child under a parent path: childPath('/a/', 'b') → '/a/b/'. */
export const childPath = (parentPath: string, id: string): string => `${parentPath}${id}/`;

/** Whether `path` lies in the subtree rooted at `rootPath` (inclusive). */
export const isWithin = (path: string, rootPath: string): boolean => path.startsWith(rootPath);

/** Why a unit of `kind` cannot sit under a parent of `parentKind`, or null if it can. */
export function childKindProblem(parentKind: OrgUnitKind, kind: OrgUnitKind): string | null {
  return ALLOWED_CHILD_KINDS[parentKind].includes(kind) ? null : `该上级单位下不能设立此类型的单位`;
}

/** Why moving a unit (at `path`) under `newParentPath` is impossible, or null. */
export function moveProblem(path: string, newParentPath: string): string | null {
  if (isWithin(newParentPath, path)) return '不能移动到自身或其下级单位之下';
  return null;
}
