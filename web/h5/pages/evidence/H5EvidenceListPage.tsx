import { RightOutlined } from '@ant-design/icons';
import { Card, Segmented, Spin, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { EvidenceState } from '../../../../contracts/evidence.ts';
import { useItems } from '../../../admin/features/evidence/api.ts';
import { dayText, StateTag } from '../../../admin/features/evidence/kit.tsx';
import { H5Page } from '../../components/H5Page.tsx';

const FILTERS: { value: string; label: string; state?: EvidenceState }[] = [
  { value: 'todo', label: '待报', state: 'draft' },
  { value: 'returned', label: '退回', state: 'returned' },
  { value: 'submitted', label: '审核中', state: 'submitted' },
  { value: 'approved', label: '已通过', state: 'approved' },
];

/** The unit's evidence on the phone: what is owed per period, what came back, what is under review. */
export function H5EvidenceListPage() {
  const [filter, setFilter] = useState('todo');
  const f = FILTERS.find((x) => x.value === filter)!;
  const list = useItems({ mine: 'true', state: f.state, pageSize: 100 });
  return (
    <H5Page title="材料报送" back>
      <Segmented block value={filter} onChange={(v) => setFilter(String(v))} options={FILTERS.map(({ value, label }) => ({ value, label }))} style={{ marginBottom: 12 }} data-testid="h5-evidence-filter" />
      <Card size="small" data-testid="h5-evidence-list">
        {list.isLoading && <Spin />}
        {list.data?.items.map((i) => (
          <Link key={i.id} to={`/evidence/${i.id}`} className="h5-row" data-testid="h5-evidence-row">
            <div className="h5-row-main">
              <div className="h5-row-title">
                {i.standardCode} {i.title || i.requirementTitle}
              </div>
              <div className="h5-row-sub">
                {i.periodLabel} · 截止 {dayText(i.periodEnd)}
                {i.number ? ` · ${i.number}` : ''}
              </div>
              <div style={{ marginTop: 4 }}>
                <StateTag state={i.state} />
                {i.isOverdue && <Tag color="red">逾期</Tag>}
              </div>
              {i.state === 'returned' && i.returnReason && <div className="h5-row-sub" style={{ color: '#c8102e' }}>退回原因：{i.returnReason}</div>}
            </div>
            <RightOutlined style={{ color: '#bbb' }} />
          </Link>
        ))}
        {list.data && list.data.items.length === 0 && <div style={{ color: '#999' }}>没有{f.label}的材料</div>}
      </Card>
    </H5Page>
  );
}
