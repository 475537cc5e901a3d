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

/** Today's calendar date in Beijing time (YYYY-MM-DD) and 2026-11-28 → 2026年11月28日: the shared helpers. */
export { chinaToday, formatDate as cnDate } from '../../../../shared/format.ts';
