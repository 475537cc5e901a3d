import { FileDoneOutlined, RightOutlined } from '@ant-design/icons';
import { Card } from 'antd';
import { Link } from 'react-router';
import type { Me } from '../../../../contracts/auth.ts';
import { useItems } from '../../../admin/features/evidence/api.ts';
import { can } from '../../../shared/session.ts';

/** The home page's entry to 材料报送, with what is still owed and what came back (only for those who file evidence). */
export function H5EvidenceEntry({ me }: { me: Me }) {
  const filer = can(me, 'evidence.submit');
  const draft = useItems({ mine: 'true', state: 'draft', pageSize: 1 }, filer);
  const returned = useItems({ mine: 'true', state: 'returned', pageSize: 1 }, filer);
  if (!filer) return null;
  return (
    <Card size="small" title="材料报送">
      <Link to="/evidence" className="h5-row" data-testid="h5-evidence-link">
        <FileDoneOutlined style={{ fontSize: 20, color: '#c8102e' }} />
        <div className="h5-row-main">
          <div className="h5-row-title">本单位待报材料</div>
          <div className="h5-row-sub">
            {draft.data ? `待提交 ${draft.data.total} 份` : '—'}
            {returned.data?.total ? <span style={{ color: '#c8102e' }}>，被退回 {returned.data.total} 份</span> : ''}
          </div>
        </div>
        <RightOutlined style={{ color: '#bbb' }} />
      </Link>
    </Card>
  );
}
