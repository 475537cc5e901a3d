import { IssueQueue, type QueueTab } from './IssueQueue.tsx';

const TABS: QueueTab[] = [
  { key: 'reported', label: '待受理', filter: { state: 'reported' }, empty: '没有待受理的问题' },
  { key: 'accepted', label: '待派遣', filter: { state: 'accepted' }, empty: '没有已立案待派遣的问题' },
  { key: 'returned', label: '已回退', filter: { state: 'returned' }, empty: '没有被单位回退的问题' },
  { key: 'extension', label: '延期待批', filter: { extensionPending: 'true' }, empty: '没有待审批的延期申请' },
  { key: 'feedback', label: '已反馈待核查', filter: { state: 'feedback' }, empty: '没有待核查的整改反馈' },
  { key: 'verified', label: '待结案', filter: { state: 'verified' }, empty: '没有核查通过待结案的问题' },
];

/** 调度台: the dispatcher's queues over the issues of their area, with the next step inline. */
export function DispatchPage() {
  return <IssueQueue title="调度台" tabs={TABS} roles={['dispatcher', 'verifier']} testId="dispatch-queue" />;
}
