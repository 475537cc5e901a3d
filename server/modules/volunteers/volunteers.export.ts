import { ID_TYPE_LABELS, type IdType, GENDER_LABELS, type Gender } from '../../../domain/id-number.ts';
import { hoursText, RECORD_STATE_LABELS, type RecordState } from '../../../domain/volunteer-rules.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { XLSX_MIME, writeWorkbook } from '../../lib/excel.ts';
import { audit } from '../audit/index.ts';
import { getUnitsByIds } from '../org/index.ts';
import { volunteersPolicy } from './volunteers.policy.ts';
import * as repo from './volunteers.repo.ts';

/**
 * The upload file for the 全国志愿服务信息系统: basic information (办法 Art 5: 姓名, 性别, 出生日期,
 * 身份证件号码, 居住区域, 联系方式, 专业技能, 服务类别) and service records (Art 7: 活动名称, 日期,
 * 地点, 服务内容, 服务时间, 活动组织单位). It needs the full ID number and phone, so it is for
 * managers only and every export is audited (who, how many; never the numbers themselves).
 */
export async function exportForNationalSystem(deps: Pick<Deps, 'db' | 'crypto'>, ctx: RequestContext) {
  const root = volunteersPolicy.readRoot(ctx.actor);
  volunteersPolicy.requireManageUnit(ctx.actor, ctx.actor.unitPath);
  const vols = await repo.allVolunteersForExport(deps.db, root);
  const units = new Map((await getUnitsByIds(deps.db, [...new Set(vols.map((v) => v.communityId))])).map((u) => [u.id, u.name]));
  const recs = await repo.listRecords(deps.db, { root, teamIds: [], state: 'approved', page: 1, pageSize: 100_000 });
  const buffer = await writeWorkbook([
    {
      name: '志愿者基本信息',
      columns: [
        { header: '志愿者编号' }, { header: '姓名' }, { header: '性别' }, { header: '出生日期' }, { header: '证件类型' }, { header: '证件号码', width: 22 },
        { header: '居住区域' }, { header: '联系方式', width: 14 }, { header: '专业技能', width: 24 }, { header: '服务类别', width: 24 }, { header: '服务时间', width: 20 }, { header: '注册时间', width: 20 },
      ],
      rows: vols.map((v) => [
        v.number, v.name, GENDER_LABELS[v.gender as Gender], v.birthDate, ID_TYPE_LABELS[v.idType as IdType], deps.crypto.decrypt(v.idEnc),
        units.get(v.communityId) ?? '', deps.crypto.decrypt(v.phoneEnc), v.skills.join('、'), v.serviceAreas.join('、'), v.serviceTimes.join('、'), v.consentAt.toISOString(),
      ]),
    },
    {
      name: '志愿服务记录',
      columns: [
        { header: '志愿者编号' }, { header: '姓名' }, { header: '活动名称', width: 30 }, { header: '日期' }, { header: '服务内容', width: 30 },
        { header: '服务时间（小时）' }, { header: '活动组织单位', width: 24 }, { header: '记录类型' }, { header: '审核状态' }, { header: '补录', width: 6 }, { header: '逾期录入', width: 8 },
      ],
      rows: recs.items
        .filter((r) => r.supersededBy === null)
        .map((r) => [
          r.volunteerNumber, r.volunteerName, r.activityTitle ?? r.content, r.serviceDate, r.content, hoursText(r.minutes), r.teamName,
          r.kind === 'manual' ? '补录' : r.kind === 'correction' ? '更正' : '签到', RECORD_STATE_LABELS[r.state as RecordState], r.kind === 'manual' ? '是' : '否', r.isLate ? '是' : '否',
        ]),
    },
  ]);
  await audit(deps.db, ctx, { action: 'export', entity: 'volunteer', entityId: null, after: { volunteers: vols.length, records: recs.items.length, purpose: '全国志愿服务信息系统' } });
  return { buffer, mime: XLSX_MIME, fileName: `志愿者与服务记录-${new Date().toISOString().slice(0, 10)}.xlsx` };
}
