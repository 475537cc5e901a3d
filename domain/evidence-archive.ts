/**
 * The layout of the evidence archive for the national 网上材料审核 (PRODUCT.md §3.2):
 *
 *   材料归档_<体系>_<日期>/
 *     材料索引.xlsx
 *     Ⅱ 公共文明/                      ← one folder per 测评项目 (its code and name)
 *       市城市管理局/                   ← one folder per unit
 *         Ⅱ-1-1)-① 背街小巷整治台账.pdf  ← evidence number + title (+ _2, _3 … for more files of one item)
 *
 * Names are made safe for Windows and for GBK file systems: no \ / : * ? " < > |, no control
 * characters, no trailing dots or spaces, at most 80 characters per name; duplicates in one
 * folder get （2）, （3）…. Pure.
 */

const MAX_NAME = 80;

/** A file or folder name that every common file system accepts. safeName('a/b:c?') → 'a_b_c_' */
export function safeName(text: string, fallback = '未命名'): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  let s = text.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[\\/:*?"<>|]/g, '_').replace(/\s+/g, ' ').trim();
  s = [...s].slice(0, MAX_NAME).join('');
  s = s.replace(/[. ]+$/, '');
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(s)) s = `_${s}`;
  return s || fallback;
}

/** The folder of a 测评项目: its code and name. itemFolder('Ⅱ', '公共文明') → 'Ⅱ 公共文明' */
export function itemFolder(code: string, name: string): string {
  return safeName([code, name].filter(Boolean).join(' '), '未归类');
}

/** The extension of a stored file name ('.pdf'), '' if none. */
export function extensionOf(fileName: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(fileName);
  return m ? `.${m[1].toLowerCase()}` : '';
}

/**
 * The archive name of one file of an evidence item: number and title, then _2, _3 … when the
 * item has several files, and the stored file's extension.
 * evidenceFileName('Ⅱ-1-1)-①', '整治台账', 0, 1, 'scan.PDF') → 'Ⅱ-1-1)-① 整治台账.pdf'
 */
export function evidenceFileName(number: string, title: string, index: number, count: number, storedName: string): string {
  const stem = safeName(`${number} ${title}`.trim(), number || '材料');
  return `${stem}${count > 1 ? `_${index + 1}` : ''}${extensionOf(storedName)}`;
}

/** Keeps names unique within a folder: the second 'a.pdf' becomes 'a（2）.pdf'. */
export class NameRegistry {
  private readonly used = new Set<string>();
  take(folder: string, name: string): string {
    const ext = extensionOf(name);
    const stem = ext ? name.slice(0, -ext.length) : name;
    let candidate = name;
    for (let n = 2; this.used.has(`${folder}/${candidate}`.toLowerCase()); n++) candidate = `${stem}（${n}）${ext}`;
    this.used.add(`${folder}/${candidate}`.toLowerCase());
    return candidate;
  }
}
