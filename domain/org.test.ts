import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childKindProblem, childPath, isWithin, moveProblem, pathIds } from './org.ts';

describe('org paths', () => {
  it('builds and splits paths', () => {
    expect(childPath('/a/', 'b')).toBe('/a/b/');
    expect(pathIds('/a/b/c/')).toEqual(['a', 'b', 'c']);
  });
  it('a child is always within its ancestors and never an ancestor of them', () => {
    fc.assert(
      fc.property(fc.array(fc.uuid(), { minLength: 1, maxLength: 6 }), (ids) => {
        const path = `/${ids.join('/')}/`;
        const root = `/${ids[0]}/`;
        expect(isWithin(path, root)).toBe(true);
        expect(moveProblem(root, path)).not.toBeNull();
      }),
    );
  });
  it('checks kinds', () => {
    expect(childKindProblem('street', 'community')).toBeNull();
    expect(childKindProblem('community', 'district')).not.toBeNull();
  });
});
