import { z } from 'zod';

/**
 * The holiday calendar behind deadlines counted in working days (domain/working-days.ts):
 * 放假 days are off even on a weekday, 调休上班 days are working days even on a weekend.
 */
export const HolidayKindLabels = { holiday: '放假', workday: '调休上班' } as const;
export type HolidayKind = keyof typeof HolidayKindLabels;
export const HolidayKindEnum = z.enum(['holiday', 'workday']);

/** A calendar date in Asia/Shanghai, YYYY-MM-DD. */
export const IsoDate = z.iso.date({ message: '日期格式须为 YYYY-MM-DD' });

export const Holiday = z.object({
  id: z.string(),
  date: z.string(),
  kind: HolidayKindEnum,
  name: z.string(),
});
export type Holiday = z.infer<typeof Holiday>;

/** POST /api/holidays: sets one date (replaces the entry of that date if there is one). */
export const SetHolidayRequest = z.object({
  date: IsoDate,
  kind: HolidayKindEnum,
  name: z.string().trim().min(1, '请填写名称（如 春节）').max(20, '名称最多 20 个字符'),
});
export type SetHolidayRequest = z.infer<typeof SetHolidayRequest>;

export const ListHolidaysQuery = z.object({
  year: z.coerce.number({ message: '年份必须是数字' }).int('年份必须是整数').min(2000, '年份须在 2000–2100 之间').max(2100, '年份须在 2000–2100 之间').optional(),
});
export type ListHolidaysQuery = z.infer<typeof ListHolidaysQuery>;
