/**
 * Dates for people, the one style of the product (docs/web-conventions.md):
 * formatDate → 2026年11月21日, formatDateTime → 2026年11月21日 15:30, formatMonth → 2026年1月.
 * Asia/Shanghai whatever the browser's zone; a `YYYY-MM-DD` string is a calendar date.
 * Pickers get the same style from the locale of web/shared/locale.ts (or `PICKER_FORMAT`).
 * Never format a date any other way in a page.
 */
export { chinaToday, formatDate, formatDateTime, formatMonth, PICKER_FORMAT } from '../../domain/cn-date.ts';
/** The same as formatDateTime (kept for pages written before the one style). */
export { formatDateTime as formatDateTimeCn } from '../../domain/cn-date.ts';
