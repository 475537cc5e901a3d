import { existsSync } from 'node:fs';
import { AlignmentType, BorderStyle, Document, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { hoursText } from '../../../domain/volunteer-rules.ts';
import { AppError } from '../../http/errors.ts';
import { chineseDate } from '../../lib/gbt9704.ts';
import type { CertificateRow } from './volunteers.repo.ts';

export const PDF_MIME = 'application/pdf';

/** The lines of a certificate (《志愿服务记录与证明出具办法》 Art 15: service time, content, recording unit). */
function fields(c: CertificateRow): [string, string][] {
  return [
    ['证明编号', c.number],
    ['姓名', c.name],
    [c.idTypeLabel, c.idMasked],
    ['服务期间', `${chineseDate(c.periodFrom)} 至 ${chineseDate(c.periodTo)}`],
    ['服务时长', `${hoursText(c.minutes)} 小时（${c.recordCount} 条审核通过的服务记录）`],
    ['服务内容', c.content],
    ['出具单位', c.issuer],
    ['出具日期', chineseDate(c.issuedAt)],
    ['验证码', c.verifyCode],
  ];
}

const STATEMENT = (c: CertificateRow) =>
  `兹证明 ${c.name} 同志于 ${chineseDate(c.periodFrom)} 至 ${chineseDate(c.periodTo)} 期间参加志愿服务，经记录审核，累计服务时长 ${hoursText(c.minutes)} 小时。`;
const FOOT = '本证明依据志愿服务记录出具，免费开具。扫描二维码或访问验证地址输入验证码，可核验本证明真伪。';

export async function certificateDocx(c: CertificateRow, verifyUrl: string): Promise<Buffer> {
  const qr = await QRCode.toBuffer(verifyUrl, { type: 'png', margin: 1, width: 240 });
  const font = { ascii: 'FangSong', eastAsia: '仿宋_GB2312', hAnsi: 'FangSong' };
  const run = (text: string, o: { bold?: boolean; size?: number } = {}) => new TextRun({ text, font, size: o.size ?? 30, bold: o.bold });
  const none = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 400 }, children: [new TextRun({ text: '志愿服务记录证明', font: { eastAsia: '方正小标宋简体', ascii: 'SimSun' }, size: 44, bold: true })] }),
          new Paragraph({ spacing: { after: 300, line: 520 }, indent: { firstLine: 600 }, children: [run(STATEMENT(c))] }),
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: fields(c).map(
              ([k, v]) =>
                new TableRow({
                  children: [
                    new TableCell({ width: { size: 25, type: WidthType.PERCENTAGE }, borders: { top: none, bottom: none, left: none, right: none }, children: [new Paragraph({ children: [run(k, { bold: true, size: 28 })] })] }),
                    new TableCell({ width: { size: 75, type: WidthType.PERCENTAGE }, borders: { top: none, bottom: none, left: none, right: none }, children: [new Paragraph({ children: [run(v, { size: 28 })] })] }),
                  ],
                }),
            ),
          }),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 400 }, children: [run(c.issuer)] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(chineseDate(c.issuedAt))] }),
          new Paragraph({ spacing: { before: 300 }, children: [new ImageRun({ type: 'png', data: qr, transformation: { width: 120, height: 120 } })] }),
          new Paragraph({ children: [run(`验证地址：${verifyUrl}`, { size: 20 })] }),
          new Paragraph({ children: [run(FOOT, { size: 20 })] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A CJK font on this machine (Debian fonts-noto-cjk, or CHUANGWEN_CJK_FONT). */
const FONT_CANDIDATES: [string, string | undefined][] = [
  ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYi Micro Hei'],
];
function cjkFont(): [string, string | undefined] | null {
  const env = process.env.CHUANGWEN_CJK_FONT;
  if (env && existsSync(env)) return [env, undefined];
  return FONT_CANDIDATES.find(([p]) => existsSync(p)) ?? null;
}

export async function certificatePdf(c: CertificateRow, verifyUrl: string): Promise<Buffer> {
  const font = cjkFont();
  if (!font) throw new AppError('BUSINESS_RULE', '服务器未安装中文字体，无法生成 PDF，请下载 Word 版（管理员可安装 fonts-noto-cjk 或设置 CHUANGWEN_CJK_FONT）');
  const qr = await QRCode.toBuffer(verifyUrl, { type: 'png', margin: 1, width: 300 });
  const doc = new PDFDocument({ size: 'A4', margins: { top: 72, bottom: 60, left: 72, right: 72 }, info: { Title: `志愿服务记录证明 ${c.number}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('cjk', font[0], font[1]);
  doc.font('cjk');
  doc.fontSize(24).text('志愿服务记录证明', { align: 'center' });
  doc.moveDown(1.2);
  doc.fontSize(14).text(STATEMENT(c), { indent: 28, lineGap: 8 });
  doc.moveDown(0.8);
  for (const [k, v] of fields(c)) {
    const y = doc.y;
    doc.fontSize(12).text(k, 72, y, { width: 110 });
    doc.text(v, 190, y, { width: 330 });
    doc.moveDown(0.5);
  }
  doc.moveDown(1);
  doc.fontSize(14).text(c.issuer, { align: 'right' });
  doc.text(chineseDate(c.issuedAt), { align: 'right' });
  doc.moveDown(1);
  const qy = doc.y;
  doc.image(qr, 72, qy, { width: 100 });
  doc.fontSize(9).text(`验证地址：${verifyUrl}`, 185, qy + 20, { width: 330 });
  doc.text(FOOT, 185, doc.y + 4, { width: 330 });
  doc.end();
  return done;
}
