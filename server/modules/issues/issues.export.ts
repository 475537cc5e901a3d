import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  type Issue,
  IssueMarkersQuery,
  IssueSeverityLabels,
  IssueSourceLabels,
  IssueStateLabels,
} from '../../../contracts/issues.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import type { RequestContext } from '../../http/actor.ts';
import { attachmentHeader, type SheetSpec, writeWorkbook, XLSX_MIME } from '../../lib/excel.ts';
import { listIssues } from './issues.service.ts';
import { chinaToday, formatDate, formatDateTime } from '../../../domain/cn-date.ts';

/** At most this many rows (newest first) go into one export; the 说明 sheet says when more matched. */
export const ISSUE_EXPORT_CAP = 20_000;

/** 2026年11月21日 15:39, Asia/Shanghai: the product's one date style (domain/cn-date.ts). */
const shanghai = (iso: string | null): string | null => (iso ? formatDateTime(iso) : null);

const COLUMNS = [
  { header: '编号', width: 20 },
  { header: '标题', width: 32 },
  { header: '分类', width: 14 },
  { header: '来源', width: 12 },
  { header: '紧急程度', width: 10 },
  { header: '状态', width: 10 },
  { header: '延期待批', width: 10 },
  { header: '所在区域', width: 14 },
  { header: '地址', width: 32 },
  { header: '经度（WGS-84）', width: 14 },
  { header: '纬度（WGS-84）', width: 14 },
  { header: '责任单位', width: 20 },
  { header: '上报人', width: 10 },
  { header: '上报时间', width: 17 },
  { header: '处置期限', width: 17 },
  { header: '是否超期', width: 10 },
  { header: '返工次数', width: 10 },
  { header: '回潮次数', width: 10 },
  { header: '结案时间', width: 17 },
];

const row = (i: Issue): (string | number | null)[] => [
  i.number,
  i.title,
  i.categoryName,
  IssueSourceLabels[i.source],
  IssueSeverityLabels[i.severity],
  IssueStateLabels[i.state],
  i.extensionPending ? '是' : '否',
  i.areaUnitName,
  i.address,
  i.lng,
  i.lat,
  i.responsibleUnitName,
  i.reporterName,
  shanghai(i.createdAt),
  shanghai(i.deadline),
  i.isOverdue ? '是' : '否',
  i.reworkCount,
  i.relapseCount,
  shanghai(i.closedAt),
];

/**
 * The issue list as an .xlsx: the same filters and read scope as GET /api/issues, newest first,
 * no phone numbers at all (not even masked: the file leaves the system), times in Asia/Shanghai.
 */
export async function exportIssues(
  deps: Deps,
  ctx: RequestContext,
  q: IssueMarkersQuery,
  cap: number = ISSUE_EXPORT_CAP,
): Promise<{ fileName: string; buffer: Buffer; total: number }> {
  const { items, total } = await listIssues(deps, ctx, { ...q, page: 1, pageSize: cap });
  const filters: [string, string | undefined][] = [
    ['状态', q.state ? IssueStateLabels[q.state] : undefined],
    ['来源', q.source ? IssueSourceLabels[q.source] : undefined],
    ['搜索', q.q],
    ['上报日期', q.createdFrom || q.createdTo ? `${q.createdFrom ? formatDate(q.createdFrom) : '…'} 至 ${q.createdTo ? formatDate(q.createdTo) : '…'}` : undefined],
    ['仅超期', q.overdue ? '是' : undefined],
    ['即将到期', q.dueSoon ? '是' : undefined],
    ['延期待批', q.extensionPending ? '是' : undefined],
    ['派给本单位', q.mine ? '是' : undefined],
    ['分类', q.categoryId ? '（按所选分类，含其小类）' : undefined],
    ['责任单位', q.unitId ? (items[0]?.responsibleUnitName ?? '（按所选单位）') : undefined],
    ['所在区域', q.areaUnitId ? '（按所选区域，含下级）' : undefined],
  ];
  const sheets: SheetSpec[] = [
    { name: '问题列表', columns: COLUMNS, rows: items.map(row) },
    {
      name: '说明',
      columns: [
        { header: '项目', width: 14 },
        { header: '内容', width: 60 },
      ],
      rows: [
        ['导出时间', shanghai(new Date().toISOString())],
        ['导出人', ctx.actor.name],
        ['符合条件', `${total} 个问题`],
        ['本表包含', total > items.length ? `最新的 ${items.length} 个（超过上限 ${cap}，请缩小筛选范围后分批导出）` : `${items.length} 个`],
        ...filters.filter((f): f is [string, string] => !!f[1]),
        ['说明', '时间为北京时间；坐标为 WGS-84；不含任何联系电话。'],
      ],
    },
  ];
  const day = chinaToday().replaceAll('-', '');
  return { fileName: `问题列表_${day}.xlsx`, buffer: await writeWorkbook(sheets), total };
}

export const issueExportRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/issues/export',
      { schema: { tags: ['问题整改'], summary: `问题列表导出 Excel（与列表相同的筛选与范围，最新 ${ISSUE_EXPORT_CAP} 条以内）`, querystring: IssueMarkersQuery } },
      async (req, reply) => {
        const file = await exportIssues(deps, requireCtx(req), req.query);
        return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(file.fileName)).header('cache-control', 'no-store').send(file.buffer);
      },
    );
  };
