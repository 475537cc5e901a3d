import { pinyin } from 'pinyin-pro';

/**
 * The text a selector searches: the name, its full pinyin and its initials, lower case.
 * searchTextOf('示范市教育局') → '示范市教育局 shifanshijiaoyuju sfsjyj'
 */
export function searchTextOf(name: string): string {
  const full = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('');
  const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('');
  return `${name} ${full} ${initials}`.toLowerCase().replace(/\s+/g, ' ');
}

/** Whether a query typed in a selector (中文, pinyin or initials) matches a name. */
export function matchesQuery(name: string, query: string): boolean {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  return q === '' || searchTextOf(name).includes(q);
}
