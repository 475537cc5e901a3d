const dateFmt = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** 2026年11月21日, in Asia/Shanghai whatever the browser's zone. */
export const formatDate = (iso: string | Date): string => dateFmt.format(new Date(iso));
/** 2026/11/21 12:30:00, Asia/Shanghai. */
export const formatDateTime = (iso: string | Date): string => timeFmt.format(new Date(iso));

const partsFmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** 2026年11月21日 15:30, Asia/Shanghai. */
export const formatDateTimeCn = (iso: string | Date): string => {
  const p = Object.fromEntries(partsFmt.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}`;
};
