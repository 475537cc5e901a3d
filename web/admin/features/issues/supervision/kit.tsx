import { Tag } from 'antd';
import { type LetterState, LetterStateLabels } from '../../../../../contracts/supervision.ts';

const COLORS: Record<LetterState, string> = { sent: 'orange', replied: 'blue', done: 'green' };

export function LetterStateTag({ state, replyOverdue }: { state: LetterState; replyOverdue?: boolean }) {
  return (
    <span>
      <Tag color={COLORS[state]}>{LetterStateLabels[state]}</Tag>
      {replyOverdue && <Tag color="red">逾期未回复</Tag>}
    </span>
  );
}

/** Today's calendar date in Beijing time, YYYY-MM-DD. */
export const chinaToday = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** 2026-11-28 → 2026年11月28日 (a calendar date, no time zone shift). */
export const cnDate = (d: string): string => {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
};
