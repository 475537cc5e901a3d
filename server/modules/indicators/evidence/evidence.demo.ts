import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { EvidenceState } from '../../../../domain/evidence-flow.ts';
import { formatEvidenceNumber, formatSequence, parseIndicatorCode } from '../../../../domain/evidence-number.ts';
import { duePeriods, type Recurrence } from '../../../../domain/evidence-periods.ts';
import { type Executor, rowsOf } from '../../../db/client.ts';
import { newId } from '../../../lib/ids.ts';
import type { Storage } from '../../../lib/storage.ts';
import { files } from '../../files/files.tables.ts';
import { evidenceEvents, evidenceItems, evidenceRequirements } from './evidence.tables.ts';

/**
 * The demo city's evidence (issue #3 「Demo」): requirements on the 材料审核 standards of the
 * task table the indicators demo wrote (monthly, quarterly, one-off and per-activity), the items
 * due up to today for every lead and responsible unit, and those items in every review state —
 * older periods mostly 通过, recent ones 已提交 / 退回 (with reasons) / 待提交 — each with its
 * event log and real files (placeholder scans and PDFs, written to storage by
 * writeDemoEvidenceFiles after seeding, as the issue photos are). 市城市管理局 (user danwei) holds
 * items in every state. Deterministic; rows inserted in bulk. Does nothing without tasks; a system
 * that has requirements already is left alone.
 */

const DAY = 86_400_000;

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ─── placeholder files ───────────────────────────────────────────────────────

const SCANS = 4;
const scanKey = (n: number) => `demo/evidence-scan-${n}.png`;
const PDF_KEY = 'demo/evidence-ledger.pdf';

/** A scanned ledger page: ruled lines, a table, a red stamp; deterministic per n. */
async function renderScan(n: number): Promise<Buffer> {
  const r = prng(700 + n);
  const rows = Array.from({ length: 14 }, (_, k) => {
    const y = 150 + k * 30;
    const filled = Array.from({ length: 4 }, (_, c) => `<rect x="${70 + c * 130}" y="${y + 9}" width="${Math.floor(40 + r() * 70)}" height="8" fill="#555" opacity="0.55"/>`).join('');
    return `<line x1="60" y1="${y}" x2="580" y2="${y}" stroke="#999"/>${filled}`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="820">
    <rect width="640" height="820" fill="#fbfaf5"/>
    <rect x="200" y="60" width="240" height="22" fill="#333" opacity="0.8"/>
    <rect x="60" y="120" width="520" height="450" fill="none" stroke="#666" stroke-width="2"/>
    ${rows}
    ${[190, 320, 450].map((x) => `<line x1="${x}" y1="120" x2="${x}" y2="570" stroke="#999"/>`).join('')}
    <circle cx="${470 + Math.floor(r() * 40)}" cy="680" r="58" fill="none" stroke="#d0142c" stroke-width="6" opacity="0.8"/>
    <polygon points="500,650 508,672 532,672 513,686 520,708 500,694 480,708 487,686 468,672 492,672" fill="#d0142c" opacity="0.8" transform="translate(${Math.floor(r() * 40) - 30},0)"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
}

/** A one-page PDF (real, with its cross-reference table): the ledger cover. */
function renderPdf(): Buffer {
  const text = 'BT /F1 18 Tf 72 720 Td (Evidence ledger - demo placeholder) Tj ET\nBT /F1 11 Tf 72 690 Td (Shifan City civilised-city campaign office) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

type DemoFile = { key: string; mime: string; data: Buffer; sha256: string; width: number | null; height: number | null; name: string };
let fileCache: Promise<DemoFile[]> | null = null;

/** The placeholder files (rendered once per process). */
export function demoEvidenceFiles(): Promise<DemoFile[]> {
  fileCache ??= (async () => {
    const out: DemoFile[] = [];
    for (let n = 0; n < SCANS; n++) {
      const data = await renderScan(n);
      out.push({ key: scanKey(n), mime: 'image/png', data, sha256: createHash('sha256').update(data).digest('hex'), width: 640, height: 820, name: `台账扫描件${n + 1}.png` });
    }
    const pdf = renderPdf();
    out.push({ key: PDF_KEY, mime: 'application/pdf', data: pdf, sha256: createHash('sha256').update(pdf).digest('hex'), width: null, height: null, name: '工作台账.pdf' });
    return out;
  })();
  return fileCache;
}

/** Writes the placeholder files into storage (after seeding the demo city; idempotent). */
export async function writeDemoEvidenceFiles(storage: Storage): Promise<void> {
  for (const f of await demoEvidenceFiles()) await storage.put(f.key, f.data, f.mime);
}

// ─── requirements and items ───────────────────────────────────────────────────

const RETURN_REASONS = [
  '缺少整治前后对比照片，请补充',
  '台账未加盖单位公章',
  '材料日期不在本期范围内',
  '活动照片不能体现活动主题，请补充横幅或现场全景',
  '只有文字记录，缺少原始签到表',
];

const shanghaiDate = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
const at = (date: string, hour: number) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);

type Standard = { id: string; system_id: string; code: string; text: string; materials: string; item_id: string; year: number; methods: string[] | string };

export async function seedDemoEvidence(tx: Executor, now = new Date()): Promise<{ requirements: number; items: number; files: number }> {
  const standards = rowsOf<Standard>(
    await tx.execute(sql`SELECT DISTINCT n.id, n.system_id, n.code, n.text, n.materials, split_part(n.path, '/', 2)::uuid AS item_id, s.year, n.methods
      FROM indicator_nodes n JOIN indicator_systems s ON s.id = n.system_id JOIN tasks t ON t.node_id = n.id
      WHERE n.is_active AND s.status = 'active'
        AND NOT EXISTS (SELECT 1 FROM evidence_requirements r WHERE r.system_id = n.system_id)
      ORDER BY n.system_id, n.code`),
  );
  if (standards.length === 0) return { requirements: 0, items: 0, files: 0 };
  const material = standards.filter((s) => (typeof s.methods === 'string' ? s.methods.includes('material') : s.methods.includes('material')));
  const chosen = material.length >= 10 ? material : standards;
  const unitsByNode = new Map<string, { id: string; path: string }[]>();
  for (const r of rowsOf<{ node_id: string; id: string; path: string }>(
    await tx.execute(sql`SELECT DISTINCT t.node_id, u.id, u.path FROM tasks t JOIN task_units tu ON tu.task_id = t.id JOIN org_units u ON u.id = tu.unit_id
      WHERE tu.role IN ('lead', 'responsible') AND u.is_active ORDER BY t.node_id, u.path`),
  )) {
    unitsByNode.set(r.node_id, [...(unitsByNode.get(r.node_id) ?? []), { id: r.id, path: r.path }]);
  }
  const userOf = async (username: string) => rowsOf<{ id: string; unit_id: string }>(await tx.execute(sql`SELECT id, unit_id FROM users WHERE username = ${username}`))[0];
  const admin = await userOf('admin');
  const danwei = await userOf('danwei');
  const reviewer = admin?.id ?? null;
  const demoFiles = await demoEvidenceFiles();
  const rand = prng(20261121);
  const today = shanghaiDate(now.getTime());

  const reqRows: (typeof evidenceRequirements.$inferInsert)[] = [];
  const itemRows: (typeof evidenceItems.$inferInsert)[] = [];
  const eventRows: (typeof evidenceEvents.$inferInsert)[] = [];
  const fileRows: (typeof files.$inferInsert)[] = [];
  const seqByStandard = new Map<string, number>();
  const cycle: Recurrence[] = ['monthly', 'quarterly', 'once', 'monthly', 'quarterly', 'per_activity'];
  const danweiForced: EvidenceState[] = ['returned', 'submitted', 'approved', 'draft'];

  chosen.forEach((s, si) => {
    const units = unitsByNode.get(s.id) ?? [];
    if (units.length === 0) return;
    const recurrence = cycle[si % cycle.length];
    const first = (s.materials || '').split(/[；;。\n]/)[0].trim();
    const title = (first.length >= 4 && first.length <= 40 ? first : `${s.code} 工作台账`).replace(/^[\d.、（）()]+/, '');
    const startsOn = `${s.year}-01-01`;
    const endsOn = recurrence === 'once' ? `${s.year}-06-30` : `${s.year}-12-31`;
    const reqId = newId();
    reqRows.push({
      id: reqId,
      systemId: s.system_id,
      standardId: s.id,
      unitId: null,
      recurrence,
      title,
      description: s.materials.slice(0, 500),
      startsOn,
      endsOn,
      createdBy: admin?.id ?? null,
      createdAt: at(startsOn, 9),
      updatedAt: at(startsOn, 9),
    });
    const periods = duePeriods(recurrence, startsOn, endsOn, today < endsOn ? today : endsOn);
    for (const u of units) {
      for (const p of periods) {
        const id = newId();
        const ageDays = (now.getTime() - at(p.end, 18).getTime()) / DAY;
        let state: EvidenceState;
        const x = rand();
        if (danwei && u.id === danwei.unit_id && danweiForced.length) state = danweiForced.shift()!;
        else if (ageDays > 45) state = x < 0.72 ? 'approved' : x < 0.8 ? 'returned' : x < 0.88 ? 'submitted' : 'draft';
        else if (ageDays > 0) state = x < 0.35 ? 'approved' : x < 0.5 ? 'returned' : x < 0.75 ? 'submitted' : 'draft';
        else state = x < 0.15 ? 'approved' : x < 0.25 ? 'returned' : x < 0.5 ? 'submitted' : 'draft';
        const generatedAt = at(p.start, 8);
        eventRows.push({ itemId: id, action: 'generate', fromState: null, toState: 'draft', actorId: null, at: generatedAt });
        const row: typeof evidenceItems.$inferInsert = {
          id,
          requirementId: reqId,
          systemId: s.system_id,
          standardId: s.id,
          itemNodeId: s.item_id,
          unitId: u.id,
          unitPath: u.path,
          periodKey: p.key,
          periodStart: p.start,
          periodEnd: p.end,
          slot: 1,
          state: 'draft',
          createdAt: generatedAt,
          updatedAt: generatedAt,
        };
        if (state !== 'draft') {
          // filed some days into the period (never after now), reviewed a few days later
          const span = Math.max(1, Math.min((now.getTime() - generatedAt.getTime()) / DAY - 1, (at(p.end, 18).getTime() - generatedAt.getTime()) / DAY));
          const filed = new Date(generatedAt.getTime() + (0.3 + rand() * 0.6) * span * DAY);
          const reviewed = new Date(Math.min(now.getTime() - 3_600_000, filed.getTime() + (1 + rand() * 4) * DAY));
          const seq = (seqByStandard.get(s.id) ?? 0) + 1;
          seqByStandard.set(s.id, seq);
          const code = parseIndicatorCode(s.code);
          const fileIds: string[] = [];
          const picks = [demoFiles[Math.floor(rand() * SCANS)], ...(rand() < 0.5 ? [demoFiles[SCANS]] : [])];
          for (const f of picks) {
            const fid = newId();
            fileIds.push(fid);
            fileRows.push({
              id: fid,
              storageKey: f.key,
              originalName: f.name,
              mime: f.mime,
              size: f.data.length,
              sha256: f.sha256,
              width: f.width,
              height: f.height,
              ownerType: 'evidence_item',
              ownerId: id,
              uploadedBy: danwei && u.id === danwei.unit_id ? danwei.id : (admin?.id ?? danwei?.id ?? ''),
              uploaderUnitId: u.id,
              createdAt: filed,
            });
          }
          const itemTitle = p.key === 'once' || p.key === 'activity' ? title : `${p.label}${title}`;
          Object.assign(row, {
            number: code.ok ? formatEvidenceNumber({ indicator: code.value, seq }) : `${s.code})-${formatSequence(seq)}`,
            seq,
            title: itemTitle,
            evidenceDate: shanghaiDate(filed.getTime()),
            description: `${p.label}按要求整理报送。`,
            state,
            fileIds,
            submittedAt: filed,
            submittedBy: danwei && u.id === danwei.unit_id ? danwei.id : null,
            updatedAt: state === 'submitted' ? filed : reviewed,
          });
          const filer = danwei && u.id === danwei.unit_id ? danwei.id : null;
          eventRows.push({ itemId: id, action: 'submit', fromState: 'draft', toState: 'submitted', actorId: filer, actorUnitId: u.id, data: { fileIds, title: itemTitle }, at: filed });
          if (state === 'approved' && rand() < 0.25) {
            // returned once before it passed
            const back = new Date(filed.getTime() + (reviewed.getTime() - filed.getTime()) / 3);
            const again = new Date(filed.getTime() + ((reviewed.getTime() - filed.getTime()) * 2) / 3);
            const reason = RETURN_REASONS[Math.floor(rand() * RETURN_REASONS.length)];
            eventRows.push({ itemId: id, action: 'return', fromState: 'submitted', toState: 'returned', actorId: reviewer, actorUnitId: admin?.unit_id ?? null, note: reason, at: back });
            eventRows.push({ itemId: id, action: 'resubmit', fromState: 'returned', toState: 'submitted', actorId: filer, actorUnitId: u.id, data: { fileIds }, at: again });
            row.returnReason = reason;
          }
          if (state === 'approved' || state === 'returned') {
            const reason = state === 'returned' ? RETURN_REASONS[Math.floor(rand() * RETURN_REASONS.length)] : null;
            eventRows.push({
              itemId: id,
              action: state === 'approved' ? 'approve' : 'return',
              fromState: 'submitted',
              toState: state,
              actorId: reviewer,
              actorUnitId: admin?.unit_id ?? null,
              note: reason,
              data: { fileIds },
              at: reviewed,
            });
            Object.assign(row, { reviewedAt: reviewed, reviewedBy: reviewer, ...(reason && { returnReason: reason }) });
          }
        }
        itemRows.push(row);
      }
    }
  });

  const chunk = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
  for (const part of chunk(reqRows, 500)) await tx.insert(evidenceRequirements).values(part);
  for (const part of chunk(itemRows, 1000)) await tx.insert(evidenceItems).values(part);
  for (const part of chunk(fileRows, 1000)) await tx.insert(files).values(part);
  for (const part of chunk(eventRows, 2000)) await tx.insert(evidenceEvents).values(part);
  for (const [standardId, last] of seqByStandard) {
    await tx.execute(sql`INSERT INTO evidence_number_counters (standard_id, last) VALUES (${standardId}, ${last})
      ON CONFLICT (standard_id) DO UPDATE SET last = GREATEST(evidence_number_counters.last, EXCLUDED.last)`);
  }
  return { requirements: reqRows.length, items: itemRows.length, files: fileRows.length };
}
