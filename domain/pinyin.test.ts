import { describe, expect, it } from 'vitest';
import { matchesQuery, searchTextOf } from './pinyin.ts';

describe('pinyin search', () => {
  it('builds name, full pinyin and initials', () => {
    expect(searchTextOf('示范市教育局')).toBe('示范市教育局 shifanshijiaoyuju sfsjyj');
  });
  it('matches Chinese, pinyin and initials', () => {
    expect(matchesQuery('示范市教育局', '教育')).toBe(true);
    expect(matchesQuery('示范市教育局', 'jiaoyu')).toBe(true);
    expect(matchesQuery('示范市教育局', 'sfsjyj')).toBe(true);
    expect(matchesQuery('示范市教育局', 'weisheng')).toBe(false);
  });
});
