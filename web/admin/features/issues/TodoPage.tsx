import { IssueQueue, type QueueTab } from './IssueQueue.tsx';

const TABS: QueueTab[] = [
  { key: 'sign', label: '待签收', filter: { mine: 'true', state: 'dispatched' }, empty: '没有待签收的问题' },
  { key: 'rectifying', label: '整改中', filter: { mine: 'true', state: 'rectifying' }, empty: '没有整改中的问题（核查不通过返工的也在这里）' },
  { key: 'dueSoon', label: '即将超期', filter: { mine: 'true', dueSoon: 'true' }, empty: '没有即将到期的问题' },
  { key: 'overdue', label: '已超期', filter: { mine: 'true', overdue: 'true' }, empty: '没有超期未结的问题' },
];

/** 本单位待办: what has been dispatched to the user's unit (or a unit under it) and is not finished. */
export function TodoPage() {
  return <IssueQueue title="本单位待办" tabs={TABS} roles={['unit']} testId="todo-queue" />;
}
