import { formatDate } from '../../domain/cn-date.ts';
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  Header,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  RelativeHorizontalPosition,
  RelativeVerticalPosition,
  Table,
  TableAnchorType,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';

/**
 * Official documents (公文) as Word files in the national format 《党政机关公文格式》 GB/T 9704-2012
 * (../shared/design/GBT9704.md; ENGINEERING.md §1: the `docx` package). One generator for the
 * 通报 and 目标责任书 (`layout: 'document'`, the 文件格式 with the red 版头) and the 督办函
 * (`layout: 'letter'`, the 信函格式 of §10.1). Modules build an `OfficialDocument` from their data
 * and get the .docx bytes; nothing here knows about issues or tasks.
 *
 * Clause numbers below refer to GB/T 9704-2012.
 */

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

// ---------------------------------------------------------------------------------------------
// Dimensions (Word measures in twips: 1/20 pt, 1440 per inch)

const TWIPS_PER_MM = 1440 / 25.4;
/** Millimetres to twips, rounded. */
export const mm = (v: number): number => Math.round(v * TWIPS_PER_MM);

/** §5.2.1 A4: 210 × 297 mm (11906 × 16838 twips). */
export const PAGE_WIDTH_MM = 210;
export const PAGE_HEIGHT_MM = 297;
/** §5.2.2 天头 (top margin) 37 mm ± 1 mm. */
export const MARGIN_TOP_MM = 37;
/** §5.2.2 订口 (left margin) 28 mm ± 1 mm. */
export const MARGIN_LEFT_MM = 28;
/** §5.2.2 版心 (type area) 156 × 225 mm (without page numbers). */
export const TYPE_AREA_WIDTH_MM = 156;
export const TYPE_AREA_HEIGHT_MM = 225;
/** What is left: right 210 − 28 − 156 = 26 mm, bottom 297 − 37 − 225 = 35 mm. */
export const MARGIN_RIGHT_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - TYPE_AREA_WIDTH_MM;
export const MARGIN_BOTTOM_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - TYPE_AREA_HEIGHT_MM;

export const PAGE_WIDTH = mm(PAGE_WIDTH_MM); // 11906
export const PAGE_HEIGHT = mm(PAGE_HEIGHT_MM); // 16838
const MARGIN_TOP = mm(MARGIN_TOP_MM); // 2098
const MARGIN_LEFT = mm(MARGIN_LEFT_MM); // 1587
const MARGIN_RIGHT = mm(MARGIN_RIGHT_MM); // 1474
const MARGIN_BOTTOM = mm(MARGIN_BOTTOM_MM); // 1984
/** The type area's width in twips, as the page minus margins so tables fill it exactly. */
const TYPE_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT; // 8845
const TYPE_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM; // 12756

/** §5.2.4 一般每面排 22 行，每行排 28 个字，并撑满版心. */
export const LINES_PER_PAGE = 22;
export const CHARS_PER_LINE = 28;
/**
 * Fixed line pitch: 225 mm / 22 lines = 28.95 pt (579 twips), rounded down so 22 lines fit.
 * (GBT9704.md rounds this to "fixed 28 pt"; 28.95 pt is what fills the type area as §5.2.4 asks,
 * and is the 579 of the usual Word templates.) Every line, blank line and 空行 uses this pitch.
 */
export const LINE_PITCH = Math.floor(TYPE_HEIGHT / LINES_PER_PAGE); // 579

/** Font sizes in half-points, as Word stores them (§5.2.3, §7.3.1, §7.4, §7.5). */
export const SIZE = {
  /** 二号 22 pt: the title (§7.3.1) */
  title: 44,
  /** 三号 16 pt: everything else unless stated (§5.2.3) */
  body: 32,
  /** 四号 14 pt: 版记 (§7.4.2, §7.4.3) and page numbers (§7.5) */
  small: 28,
  /** 小四 12 pt: tables — the standard leaves their size to the drafter; this fits six columns */
  table: 24,
} as const;
const BODY_PT = SIZE.body / 2;
/**
 * §5.2.4 28 characters per line: 156 mm / 28 = 15.79 pt per character, so 三号 (16 pt) body text is
 * set 0.25 pt (5 twips) condensed, which every word processor honours. (A Word character grid,
 * w:docGrid linesAndChars, does the same in Word but LibreOffice and others then give every
 * character two grid cells; the fixed line spacing already gives the 22 lines, so no grid is used.)
 */
export const BODY_CHAR_SPACING = -Math.ceil(BODY_PT * 20 - (TYPE_WIDTH - 1) / CHARS_PER_LINE); // −5
/** One body character as set (15.75 pt) in twips: the unit of 空二字, 右空四字 and so on. */
const CHAR = BODY_PT * 20 + BODY_CHAR_SPACING; // 315

/** §7.2.4 发文机关标志: its top edge 35 mm below the top of the type area (文件格式). */
export const MARK_BELOW_TYPE_AREA_MM = 35;
/** §10.1 信函格式: the mark's top edge 30 mm below the top edge of the page. */
export const LETTER_MARK_FROM_PAGE_TOP_MM = 30;
/** §7.2.7 the red separator line 4 mm below the 发文字号; §10.1 the red double line 4 mm below the mark. */
export const RED_LINE_GAP_MM = 4;
/** §10.1 the letter's red double lines are 170 mm long, centred on the page (wider than the type area). */
export const LETTER_LINE_LENGTH_MM = 170;
/** §10.1 the second red double line (thin over thick) lies 20 mm above the bottom edge of the page. */
export const LETTER_BOTTOM_LINE_FROM_PAGE_BOTTOM_MM = 20;
/**
 * §7.5 page numbers: the 一字线 7 mm below the type area, i.e. 35 − 7 = 28 mm above the page bottom;
 * the 14 pt line around it ends about 25 mm above the page bottom.
 */
export const PAGE_NUMBER_LINE_BOTTOM_MM = 25;

/** The 版头 red. The standard says red (§7.2.4, §7.2.7, §10.1) without a value; Word's pure red is what templates use. */
export const RED = 'FF0000';
/** The 文件格式 separator line: the standard fixes colour and length (版心宽), not weight; 1.5 pt (in 1/8 pt). */
const RED_LINE_SIZE = 12;
/** §10.1 the letter's double lines (thick + thin), total weight in 1/8 pt. */
const RED_DOUBLE_LINE_SIZE = 24;
/** §7.4.1 版记 rules: first and last 0.35 mm (≈ 1 pt), middle 0.25 mm (≈ 0.75 pt); in 1/8 pt. */
const RULE_THICK = 8;
const RULE_THIN = 6;

/**
 * Fonts, named as offices have them installed (Word substitutes on a machine without them; the
 * receiving office has them). §7.3.1 title 小标宋; §5.2.3 body 仿宋; §7.3.3 heading levels 黑体 / 楷体;
 * §7.5 page numbers 宋体.
 */
export const FONT = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  hei: '黑体',
  kai: '楷体_GB2312',
  song: '宋体',
} as const;

// ---------------------------------------------------------------------------------------------
// Input

export type DocImage = {
  data: Buffer | Uint8Array;
  format: 'jpg' | 'png';
  widthMm: number;
  heightMm: number;
};

/** A table cell: text (new lines kept), optionally with photos under it. */
export type DocTableCell = string | { text?: string; images?: DocImage[] };

export type DocTableColumn = {
  header: string;
  /** relative width; columns share the type area's 156 mm in proportion (default 1) */
  width?: number;
  align?: 'left' | 'center' | 'right';
};

export type DocBlock =
  /** a 正文 paragraph, 左空二字; new lines start new paragraphs */
  | { type: 'paragraph'; text: string }
  /**
   * §7.3.3 a numbered heading: level 1 `一、` 黑体, 2 `（一）` 楷体, 3 `1.` 仿宋, 4 `（1）` 仿宋. The number is
   * counted per level (restarting under each higher heading) unless `numbered: false`. `text` may
   * continue in the same paragraph in 仿宋 (`continuation`), as in `（一）加强领导。各区要……`.
   */
  | { type: 'heading'; level: 1 | 2 | 3 | 4; text: string; continuation?: string; numbered?: boolean; bold?: boolean }
  | { type: 'table'; columns: DocTableColumn[]; rows: DocTableCell[][]; caption?: string; fontSize?: number }
  | { type: 'image'; image: DocImage; caption?: string }
  | { type: 'pageBreak' };

/** §7.3.7 an attachment printed after the main text, on its own page. */
export type DocAppendix = { title: string; blocks: DocBlock[] };

export type OfficialDocument = {
  /** 'document' (文件格式: 通报, 目标责任书) or 'letter' (信函格式 §10.1: 督办函) */
  layout: 'document' | 'letter';
  /** 发文机关名称, e.g. 示范市创建全国文明城市工作指挥部办公室 */
  issuer: string;
  /** the red 发文机关标志; default: the issuer + `文件` for documents (§7.2.4), the issuer for letters (§10.1) */
  issuerMark?: string;
  /** 发文字号, e.g. 创文办〔2026〕12号 (see formatDocumentNumber) */
  number: string;
  /** the title; give the lines yourself for a chosen trapezoid, or one string to break automatically */
  title: string | string[];
  /** 主送机关: joined with `，` and ended with `：` (§7.3.2) */
  recipients?: string | string[];
  body: DocBlock[];
  /** 附件说明 names (§7.3.4), without numbers or final punctuation */
  attachments?: string[];
  /** 署名; default the issuer */
  signature?: string;
  /** 成文日期: a Date (shown in `timeZone`) or a calendar date `YYYY-MM-DD` */
  date: Date | string;
  /** whether the document will be sealed (§7.3.5.1, room is left for the 印章) or not (§7.3.5.2); default true */
  sealed?: boolean;
  /** 附件 printed after the signature, each on its own page (§7.3.7) */
  appendices?: DocAppendix[];
  /** 抄送机关 (§7.4.2) */
  cc?: string[];
  /** 印发机关 and 印发日期 (§7.4.3; the letter format has none, §10.1) */
  printedBy?: string;
  printedOn?: Date | string;
  /** zone for Date values; default Asia/Shanghai */
  timeZone?: string;
};

// ---------------------------------------------------------------------------------------------
// Small pure helpers

/** §7.2.5 发文字号: abbreviation + full year in 〔〕 + sequence without 第 or leading zeros + 号. */
export function formatDocumentNumber(org: string, year: number, seq: number): string {
  const o = org.trim();
  if (!o) throw new RangeError('发文机关代字不能为空');
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`年份应为四位数：${year}`);
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`发文顺序号应为正整数：${seq}`);
  return `${o}〔${year}〕${seq}号`;
}

/**
 * §7.3.5.4 成文日期 in Arabic numerals with the full year and no leading zeros: `2026年11月21日`.
 * A Date is read in `timeZone` (a document dated at 00:30 Beijing time is dated that day); a string
 * `YYYY-MM-DD` is a calendar date and taken as is.
 */
export function chineseDate(date: Date | string | number, timeZone = 'Asia/Shanghai'): string {
  if (timeZone === 'Asia/Shanghai') return formatDate(typeof date === 'string' ? date.trim() : date);
  if (typeof date === 'string') {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date.trim());
    if (m) return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
  }
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) throw new RangeError(`无效日期：${String(date)}`);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(d);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return `${get('year')}年${get('month')}月${get('day')}日`;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九; beyond 99 Arabic. For `一、` and `（一）`. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

/** The ordinal of a heading level (§7.3.3). */
export function headingNumber(level: 1 | 2 | 3 | 4, n: number): string {
  switch (level) {
    case 1:
      return `${chineseNumber(n)}、`;
    case 2:
      return `（${chineseNumber(n)}）`;
    case 3:
      return `${n}.`;
    case 4:
      return `（${n}）`;
  }
}

/** Width in full-width characters: ASCII and Latin-1 count half. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0)! < 0x2e80 ? 0.5 : 1;
  return w;
}

/** Title lines fit 156 mm of 22 pt characters: 20. */
const TITLE_CHARS_PER_LINE = Math.floor(TYPE_WIDTH / (SIZE.title * 10));
const NO_BREAK_BEFORE = /^[，。、；：？！）〕》」』”’%.,;:)\]号]/;
const NO_BREAK_AFTER = /[（〔《「『“‘([]$/;
const GOOD_BREAK_BEFORE = ['关于', '工作', '情况', '的通报', '的通知', '的决定', '的意见', '督办函', '目标责任书'];

function breakPenalty(s: string, i: number): number {
  const before = s.slice(0, i);
  const after = s.slice(i);
  if (NO_BREAK_BEFORE.test(after) || NO_BREAK_AFTER.test(before)) return 1000;
  if (/[0-9A-Za-z]$/.test(before) && /^[0-9A-Za-z]/.test(after)) return 1000;
  if (before.endsWith('的') || GOOD_BREAK_BEFORE.some((w) => after.startsWith(w))) return 0;
  return 8;
}

/**
 * §7.3.1 breaks a long title into lines of at most 20 characters, balanced (trapezoid either way)
 * and preferring breaks between words it knows; callers who care pass the lines themselves.
 */
export function breakTitle(title: string): string[] {
  const s = title.trim();
  const chars = [...s];
  if (textWidth(s) <= TITLE_CHARS_PER_LINE) return [s];
  const lines: string[] = [];
  let rest = chars;
  while (textWidth(rest.join('')) > TITLE_CHARS_PER_LINE) {
    const restText = rest.join('');
    const total = textWidth(restText);
    const linesLeft = Math.ceil(total / TITLE_CHARS_PER_LINE);
    const target = total / linesLeft;
    let best = -1;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let i = 1; i < rest.length; i++) {
      const head = rest.slice(0, i).join('');
      const w = textWidth(head);
      if (w > TITLE_CHARS_PER_LINE) break;
      if (linesLeft === 2 && total - w > TITLE_CHARS_PER_LINE) continue;
      const score = Math.abs(w - target) + breakPenalty(restText, head.length);
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) best = Math.max(1, Math.floor(TITLE_CHARS_PER_LINE));
    lines.push(rest.slice(0, best).join(''));
    rest = rest.slice(best);
  }
  if (rest.length) lines.push(rest.join(''));
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Building blocks

/** XML 1.0 cannot carry most control characters; a stray one would make Word refuse the file. */
const clean = (s: string): string =>
  [...s].filter((ch) => {
    const c = ch.codePointAt(0)!;
    return (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) && c !== 0xfffe && c !== 0xffff;
  }).join('');

const fonts = (name: string) => ({ ascii: name, eastAsia: name, hAnsi: name, cs: name });

type RunStyle = { font?: string; size?: number; bold?: boolean; color?: string; scale?: number };

/** §5.2.4 三号 text is condensed to 28 characters a line; other sizes are set as they come. */
const condense = (size: number | undefined) => ((size ?? SIZE.body) === SIZE.body ? BODY_CHAR_SPACING : undefined);

function run(text: string, st: RunStyle = {}): TextRun {
  return new TextRun({
    text: clean(text),
    font: fonts(st.font ?? FONT.body),
    size: st.size ?? SIZE.body,
    bold: st.bold,
    color: st.color,
    scale: st.scale,
    characterSpacing: condense(st.size),
  });
}

/** Text with new lines as line breaks inside one paragraph. */
function runsWithBreaks(text: string, st: RunStyle): TextRun[] {
  return clean(text)
    .split(/\r?\n/)
    .map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined, font: fonts(st.font ?? FONT.body), size: st.size ?? SIZE.body, bold: st.bold, characterSpacing: condense(st.size) }));
}

/** Fixed line spacing at the document pitch, with `before` blank lines (空N行) above. */
const lines = (before = 0, after = 0) => ({ line: LINE_PITCH, lineRule: LineRuleType.EXACT, before: before * LINE_PITCH, after: after * LINE_PITCH });

const empty = (heightTwips: number) => new Paragraph({ spacing: { line: heightTwips, lineRule: LineRuleType.EXACT, before: 0, after: 0 }, children: [] });

/**
 * The red 发文机关标志: 小标宋 as large as fits one line of the type area; long names are narrowed
 * (character scaling down to 60 %, as printed 红头 do) before the type gets smaller.
 */
function markStyle(mark: string, maxPt: number, widthTwips: number): { size: number; scale: number } {
  const w = textWidth(mark);
  const widthPt = widthTwips / 20;
  if (w * maxPt <= widthPt) return { size: maxPt * 2, scale: 100 };
  const scale = Math.floor((widthPt / (w * maxPt)) * 100);
  if (scale >= 60) return { size: maxPt * 2, scale };
  return { size: Math.floor((widthPt / (w * 0.6)) * 2), scale: 60 };
}

function imageRun(img: DocImage): ImageRun {
  // docx sizes images in pixels at 96 dpi
  const px = (v: number) => Math.round((v / 25.4) * 96);
  return new ImageRun({ type: img.format, data: img.data, transformation: { width: px(img.widthMm), height: px(img.heightMm) } });
}

function table(block: Extract<DocBlock, { type: 'table' }>): (Paragraph | Table)[] {
  const size = block.fontSize ? block.fontSize * 2 : SIZE.table;
  const lineH = Math.round((size / 2) * 1.4 * 20);
  const weights = block.columns.map((c) => (c.width && c.width > 0 ? c.width : 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.floor((TYPE_WIDTH * w) / sum));
  widths[widths.length - 1] += TYPE_WIDTH - widths.reduce((a, b) => a + b, 0);
  const align = (a: DocTableColumn['align']) => (a === 'center' ? AlignmentType.CENTER : a === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT);
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const cellParagraph = (children: ParagraphChild[], alignment: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
    new Paragraph({ alignment, spacing: { line: lineH, lineRule: LineRuleType.EXACT, before: 0, after: 0 }, children });
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: block.columns.map(
      (c, i) =>
        new TableCell({
          width: { size: widths[i], type: WidthType.DXA },
          verticalAlign: VerticalAlignTable.CENTER,
          children: [cellParagraph(runsWithBreaks(c.header, { font: FONT.hei, size }), AlignmentType.CENTER)],
        }),
    ),
  });
  const rows = block.rows.map(
    (r) =>
      new TableRow({
        cantSplit: true,
        children: block.columns.map((c, i) => {
          const cell = r[i] ?? '';
          const text = typeof cell === 'string' ? cell : (cell.text ?? '');
          const images = typeof cell === 'string' ? [] : (cell.images ?? []);
          const children: Paragraph[] = [cellParagraph(runsWithBreaks(text, { size }), align(c.align))];
          for (const img of images) children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 40, after: 40 }, children: [imageRun(img)] }));
          return new TableCell({ width: { size: widths[i], type: WidthType.DXA }, verticalAlign: VerticalAlignTable.CENTER, children });
        }),
      }),
  );
  const out: (Paragraph | Table)[] = [];
  if (block.caption) out.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: lines(), keepNext: true, children: [run(block.caption, { font: FONT.hei })] }));
  out.push(
    new Table({
      width: { size: TYPE_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      margins: { left: 80, right: 80, top: 30, bottom: 30 },
      borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
      rows: [header, ...rows],
    }),
  );
  // a paragraph after the table keeps the next heading or paragraph off its border
  out.push(empty(Math.round(LINE_PITCH / 2)));
  return out;
}

function bodyBlocks(blocks: DocBlock[]): (Paragraph | Table)[] {
  const counters = [0, 0, 0, 0];
  const out: (Paragraph | Table)[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'paragraph':
        for (const text of clean(b.text).split(/\r?\n/)) {
          if (!text.trim()) continue;
          out.push(new Paragraph({ spacing: lines(), indent: { firstLine: 2 * CHAR }, children: [run(text)] }));
        }
        break;
      case 'heading': {
        const l = b.level - 1;
        counters[l]++;
        for (let i = l + 1; i < counters.length; i++) counters[i] = 0;
        const num = b.numbered === false ? '' : headingNumber(b.level, counters[l]);
        const font = b.level === 1 ? FONT.hei : b.level === 2 ? FONT.kai : FONT.body;
        const children = [run(num + b.text, { font, bold: b.bold })];
        if (b.continuation) children.push(run(b.continuation));
        out.push(new Paragraph({ spacing: lines(), keepNext: !b.continuation, indent: { firstLine: 2 * CHAR }, children }));
        break;
      }
      case 'table':
        out.push(...table(b));
        break;
      case 'image':
        out.push(new Paragraph({ alignment: AlignmentType.CENTER, keepNext: Boolean(b.caption), children: [imageRun(b.image)] }));
        if (b.caption) out.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: lines(), children: [run(b.caption, { size: SIZE.small })] }));
        break;
      case 'pageBreak':
        out.push(new Paragraph({ pageBreakBefore: true, spacing: { line: 20, lineRule: LineRuleType.EXACT }, children: [] }));
        break;
    }
  }
  return out;
}

/** §7.3.1 the title, centred, lines broken as given or automatically. */
function titleParagraph(title: string | string[], before: number): Paragraph {
  const ls = (Array.isArray(title) ? title : breakTitle(title)).map((l) => clean(l).trim()).filter(Boolean);
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: lines(before),
    keepNext: true,
    children: ls.map((l, i) => new TextRun({ text: l, break: i > 0 ? 1 : undefined, font: fonts(FONT.title), size: SIZE.title })),
  });
}

function recipientsParagraph(recipients: string | string[]): Paragraph {
  let text = (Array.isArray(recipients) ? recipients.map((r) => r.trim()).filter(Boolean).join('，') : recipients.trim()).replace(/[:：]$/, '');
  text += '：';
  // §7.3.2 标题下空一行，居左顶格
  return new Paragraph({ spacing: lines(1), children: [run(text)] });
}

/** §7.3.4 附件说明: 正文下空一行左空二字; later names aligned with the first name. */
function attachmentParagraphs(names: string[]): Paragraph[] {
  const many = names.length > 1;
  return names.map((raw, i) => {
    const name = clean(raw).trim().replace(/[。；;，,.]$/, '');
    const num = many ? `${i + 1}.` : '';
    const numW = textWidth(num) * CHAR;
    // hang the name under itself: 左空二字 + 附件： (3 字) + the number
    const left = 5 * CHAR + numW;
    return new Paragraph({
      spacing: lines(i === 0 ? 1 : 0),
      indent: { left, hanging: i === 0 ? 3 * CHAR + numW : numW },
      children: [run(`${i === 0 ? '附件：' : ''}${num}${name}`)],
    });
  });
}

/**
 * §7.3.5 署名 and 成文日期. Sealed (§7.3.5.1): the date 右空四字, the signature centred over it, two
 * blank lines above for the seal's top half. Unsealed (§7.3.5.2): 正文下空一行, signature 右空二字,
 * the date's first character two characters right of the signature's.
 */
function signatureParagraphs(signature: string, date: string, sealed: boolean): Paragraph[] {
  const sw = textWidth(signature);
  const dw = textWidth(date);
  let sigRight: number;
  let dateRight: number;
  if (sealed) {
    dateRight = 4;
    sigRight = dateRight + (dw - sw) / 2;
    if (sigRight < 2) {
      // a long organ name: keep it 右空二字 and centre the date under it instead
      sigRight = 2;
      dateRight = sigRight + (sw - dw) / 2;
    }
  } else {
    sigRight = 2;
    dateRight = sigRight + sw - dw - 2;
    if (dateRight < 2) {
      dateRight = 2;
      sigRight = dateRight + dw + 2 - sw;
    }
  }
  const para = (text: string, right: number, before: number) =>
    new Paragraph({ alignment: AlignmentType.RIGHT, keepNext: before > 0, keepLines: true, spacing: lines(before), indent: { right: Math.round(right * CHAR) }, children: [run(text)] });
  return [para(signature, sigRight, sealed ? 2 : 1), para(date, dateRight, 0)];
}

/** §7.3.7 an attachment page: `附件N` 黑体 top left, the title centred on the third line. */
function appendixBlocks(appendices: DocAppendix[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  appendices.forEach((a, i) => {
    const label = appendices.length > 1 ? `附件${i + 1}` : '附件';
    out.push(new Paragraph({ pageBreakBefore: true, spacing: lines(), keepNext: true, children: [run(label, { font: FONT.hei })] }));
    out.push(titleParagraph(a.title, 1));
    out.push(empty(LINE_PITCH));
    out.push(...bodyBlocks(a.blocks));
  });
  return out;
}

/**
 * §7.4 版记 at the foot of the last page: a table floated to the bottom of the type area, so its last
 * rule lies on the type area's lower edge (§7.4.1). The letter format keeps only 抄送, without rules (§10.1).
 */
function imprintTable(doc: OfficialDocument, tz: string): Table | null {
  const rows: TableRow[] = [];
  const size = SIZE.small;
  const ch = (size / 2) * 20; // one 四号 character
  const cellPara = (children: TextRun[], opts: { indentLeft?: number; hanging?: number; right?: number; tab?: boolean }) =>
    new Paragraph({
      spacing: lines(),
      indent: { left: opts.indentLeft ?? ch, hanging: opts.hanging, right: opts.right ?? ch },
      tabStops: opts.tab ? [{ type: TabStopType.RIGHT, position: TYPE_WIDTH - ch }] : undefined,
      children,
    });
  const cell = (p: Paragraph) => new TableCell({ width: { size: TYPE_WIDTH, type: WidthType.DXA }, children: [p] });
  const cc = (doc.cc ?? []).map((c) => clean(c).trim()).filter(Boolean);
  if (cc.length) {
    // §7.4.2 左右各空一字; 回行时与冒号后的首字对齐; 最后一个名称后标句号
    const text = `抄送：${cc.join('，').replace(/[。.]$/, '')}。`;
    rows.push(new TableRow({ cantSplit: true, children: [cell(cellPara([run(text, { size })], { indentLeft: ch + 3 * ch, hanging: 3 * ch }))] }));
  }
  if (doc.layout === 'document' && doc.printedBy) {
    // §7.4.3 印发机关左空一字，印发日期右空一字
    const on = chineseDate(doc.printedOn ?? doc.date, tz);
    rows.push(new TableRow({ cantSplit: true, children: [cell(cellPara([run(`${clean(doc.printedBy).trim()}\t${on}印发`, { size })], { tab: true, right: 0 }))] }));
  }
  if (!rows.length) return null;
  const none = { style: BorderStyle.NONE, size: 0, color: 'auto' };
  const rule = (size: number) => (doc.layout === 'document' ? { style: BorderStyle.SINGLE, size, color: '000000' } : none);
  return new Table({
    width: { size: TYPE_WIDTH, type: WidthType.DXA },
    columnWidths: [TYPE_WIDTH],
    layout: TableLayoutType.FIXED,
    margins: { left: 0, right: 0, top: 0, bottom: 0 },
    borders: { top: rule(RULE_THICK), bottom: rule(RULE_THICK), insideHorizontal: rule(RULE_THIN), left: none, right: none, insideVertical: none },
    float: {
      horizontalAnchor: TableAnchorType.MARGIN,
      verticalAnchor: TableAnchorType.MARGIN,
      relativeHorizontalPosition: RelativeHorizontalPosition.CENTER,
      relativeVerticalPosition: RelativeVerticalPosition.BOTTOM,
      topFromText: LINE_PITCH,
    },
    rows,
  });
}

/** §7.5 — 1 — in 四号 半角宋体; odd pages 右空一字, even pages 左空一字. */
function pageNumberFooter(side: 'odd' | 'even', liftTwips: number): Footer {
  const ch = (SIZE.small / 2) * 20;
  const st = { font: fonts(FONT.song), size: SIZE.small };
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: ch } : { left: ch },
        spacing: { line: 320, lineRule: LineRuleType.EXACT, before: 0, after: liftTwips },
        children: [new TextRun({ ...st, children: ['— ', PageNumber.CURRENT, ' —'] })],
      }),
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// The document

/** Renders the document as .docx bytes. */
export async function renderOfficialDocument(doc: OfficialDocument): Promise<Buffer> {
  const tz = doc.timeZone ?? 'Asia/Shanghai';
  const letter = doc.layout === 'letter';
  const issuer = clean(doc.issuer).trim();
  const mark = clean(doc.issuerMark ?? (letter ? issuer : `${issuer}文件`)).trim();
  const date = chineseDate(doc.date, tz);
  const sealed = doc.sealed !== false;

  const children: (Paragraph | Table)[] = [];
  let firstHeader: Header | undefined;
  let firstFooter: Footer | undefined;
  // the footer's bottom edge; page numbers are lifted to PAGE_NUMBER_LINE_BOTTOM_MM above it
  let footerDistance = mm(PAGE_NUMBER_LINE_BOTTOM_MM);

  if (!letter) {
    // §7.2.4 the mark, red 小标宋, top edge 35 mm into the type area
    const ms = markStyle(mark, 36, TYPE_WIDTH);
    children.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: mm(MARK_BELOW_TYPE_AREA_MM), after: 0, line: ms.size * 10 + 40, lineRule: LineRuleType.EXACT },
        children: [run(mark, { font: FONT.title, size: ms.size, color: RED, scale: ms.scale })],
      }),
    );
    // §7.2.5 发文字号 下空二行 centred; §7.2.7 the red line (版心宽) 4 mm under it
    children.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: lines(2),
        border: { bottom: { style: BorderStyle.SINGLE, size: RED_LINE_SIZE, color: RED, space: Math.round(((RED_LINE_GAP_MM / 25.4) * 72) / 2) } },
        children: [run(clean(doc.number))],
      }),
    );
    // §7.3.1 红色分隔线下空二行
    children.push(titleParagraph(doc.title, 2));
  } else {
    // §10.1 mark 30 mm from the top edge, red double line (thick over thin) 4 mm below, 170 mm long centred
    const lineLeft = mm((PAGE_WIDTH_MM - LETTER_LINE_LENGTH_MM) / 2) - MARGIN_LEFT; // negative: outside the type area
    const lineRight = mm((PAGE_WIDTH_MM - LETTER_LINE_LENGTH_MM) / 2) - MARGIN_RIGHT;
    const ms = markStyle(mark, 26, TYPE_WIDTH);
    firstHeader = new Header({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          indent: { left: lineLeft, right: lineRight },
          spacing: { before: 0, after: 0, line: ms.size * 10 + 40, lineRule: LineRuleType.EXACT },
          border: { bottom: { style: BorderStyle.THICK_THIN_MEDIUM_GAP, size: RED_DOUBLE_LINE_SIZE, color: RED, space: Math.round((RED_LINE_GAP_MM / 25.4) * 72) - 4 } },
          children: [run(mark, { font: FONT.title, size: ms.size, color: RED, scale: ms.scale })],
        }),
      ],
    });
    // §10.1 the second double line (thin over thick), 20 mm above the bottom edge, first page only, no page number
    footerDistance = mm(LETTER_BOTTOM_LINE_FROM_PAGE_BOTTOM_MM);
    firstFooter = new Footer({
      children: [
        new Paragraph({
          indent: { left: lineLeft, right: lineRight },
          spacing: { before: 0, after: 0, line: 20, lineRule: LineRuleType.EXACT },
          border: { bottom: { style: BorderStyle.THIN_THICK_MEDIUM_GAP, size: RED_DOUBLE_LINE_SIZE, color: RED, space: 0 } },
          children: [],
        }),
      ],
    });
    // §10.1 发文字号 顶格居版心右边缘, 3号字高的 7/8 under the double line
    children.push(
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        spacing: { before: Math.round((7 / 8) * BODY_PT * 20), after: 0, line: LINE_PITCH, lineRule: LineRuleType.EXACT },
        children: [run(clean(doc.number))],
      }),
    );
    // §10.1 标题与其上最后一个要素相距二行
    children.push(titleParagraph(doc.title, 2));
  }

  if (doc.recipients && (Array.isArray(doc.recipients) ? doc.recipients.length : doc.recipients.trim())) children.push(recipientsParagraph(doc.recipients));
  children.push(...bodyBlocks(doc.body));
  if (doc.attachments?.length) children.push(...attachmentParagraphs(doc.attachments));
  children.push(...signatureParagraphs(clean(doc.signature ?? issuer).trim(), date, sealed));
  if (doc.appendices?.length) children.push(...appendixBlocks(doc.appendices));
  const imprint = imprintTable(doc, tz);
  if (imprint) {
    children.push(imprint);
    // the floating 版记 anchors to the paragraph after it; keep that one tiny so it stays on the last page
    children.push(empty(20));
  }

  const lift = mm(PAGE_NUMBER_LINE_BOTTOM_MM) - footerDistance;
  const document = new Document({
    creator: '创文通',
    title: (Array.isArray(doc.title) ? doc.title.join('') : doc.title).trim(),
    description: clean(doc.number),
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: fonts(FONT.body), size: SIZE.body, language: { value: 'zh-CN', eastAsia: 'zh-CN' } },
          paragraph: { spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT, before: 0, after: 0 } },
        },
      },
    },
    sections: [
      {
        properties: {
          titlePage: letter,
          page: {
            size: { width: PAGE_WIDTH, height: PAGE_HEIGHT },
            margin: {
              top: MARGIN_TOP,
              bottom: MARGIN_BOTTOM,
              left: MARGIN_LEFT,
              right: MARGIN_RIGHT,
              header: letter ? mm(LETTER_MARK_FROM_PAGE_TOP_MM) : mm(15),
              footer: footerDistance,
              gutter: 0,
            },
          },
          grid: { type: DocumentGridType.DEFAULT, linePitch: LINE_PITCH },
        },
        headers: firstHeader ? { default: new Header({ children: [] }), even: new Header({ children: [] }), first: firstHeader } : undefined,
        footers: {
          default: pageNumberFooter('odd', lift),
          even: pageNumberFooter('even', lift),
          ...(firstFooter ? { first: firstFooter } : {}),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
