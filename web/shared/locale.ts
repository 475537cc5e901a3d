import zhCNModule from 'antd/locale/zh_CN';
import type { Locale } from 'antd/es/locale';
import { PICKER_FORMAT } from '../../domain/cn-date.ts';

/**
 * antd's zh_CN with the product's date style as every picker's default format, so a DatePicker or
 * RangePicker shows 2026年11月21日 (month pickers 2026年1月) without each page passing `format`.
 * Used by the ConfigProvider of the admin app and the h5 app.
 */
// antd's locale files are CommonJS: in the Vite build the default import arrives wrapped in { default }
const zhCN: Locale = (zhCNModule as unknown as { default?: Locale }).default ?? zhCNModule;
const lang = zhCN.DatePicker?.lang;
export const locale: Locale = {
  ...zhCN,
  DatePicker: zhCN.DatePicker && lang
    ? {
        ...zhCN.DatePicker,
        lang: {
          ...lang,
          fieldDateFormat: PICKER_FORMAT.date,
          fieldDateTimeFormat: `${PICKER_FORMAT.date} HH:mm:ss`,
          fieldMonthFormat: PICKER_FORMAT.month,
          fieldQuarterFormat: PICKER_FORMAT.quarter,
          fieldYearFormat: PICKER_FORMAT.year,
        },
      }
    : zhCN.DatePicker,
};
