/**
 * The official arrangement of public holidays and 调休 working days (国务院办公厅《关于2026年部分节假日
 * 安排的通知》): seeded into the holiday calendar of every installation; the admin edits it and adds
 * each following year once it is published.
 */
export type HolidaySeed = { date: string; kind: 'holiday' | 'workday'; name: string };

function range(from: string, to: string, name: string): HolidaySeed[] {
  const out: HolidaySeed[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push({ date: new Date(t).toISOString().slice(0, 10), kind: 'holiday', name });
  }
  return out;
}
const work = (date: string, name: string): HolidaySeed => ({ date, kind: 'workday', name: `${name}调休上班` });

export const CN_HOLIDAYS_2026: readonly HolidaySeed[] = [
  // 元旦：1月1日（周四）至3日（周六）放假调休，共3天；1月4日（周日）上班
  ...range('2026-01-01', '2026-01-03', '元旦'),
  work('2026-01-04', '元旦'),
  // 春节：2月15日（腊月二十八，周日）至23日（正月初七，周一）放假调休，共9天；2月14日（周六）、2月28日（周六）上班
  ...range('2026-02-15', '2026-02-23', '春节'),
  work('2026-02-14', '春节'),
  work('2026-02-28', '春节'),
  // 清明节：4月4日（周六）至6日（周一）放假，共3天
  ...range('2026-04-04', '2026-04-06', '清明节'),
  // 劳动节：5月1日（周五）至5日（周二）放假调休，共5天；5月9日（周六）上班
  ...range('2026-05-01', '2026-05-05', '劳动节'),
  work('2026-05-09', '劳动节'),
  // 端午节：6月19日（周五）至21日（周日）放假，共3天
  ...range('2026-06-19', '2026-06-21', '端午节'),
  // 中秋节：9月25日（周五）至27日（周日）放假，共3天
  ...range('2026-09-25', '2026-09-27', '中秋节'),
  // 国庆节：10月1日（周四）至7日（周三）放假调休，共7天；9月20日（周日）、10月10日（周六）上班
  ...range('2026-10-01', '2026-10-07', '国庆节'),
  work('2026-09-20', '国庆节'),
  work('2026-10-10', '国庆节'),
];
