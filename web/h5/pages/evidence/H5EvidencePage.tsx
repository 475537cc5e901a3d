import { Card, Spin } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useItem } from '../../../admin/features/evidence/api.ts';
import { dayText, EvidenceFiles, EvidenceForm, EvidenceTimeline, ItemHeader } from '../../../admin/features/evidence/kit.tsx';
import { H5Page } from '../../components/H5Page.tsx';

/** One evidence item on the phone: what is asked, the filing form (camera or files), the history. */
export function H5EvidencePage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { data: item, isLoading } = useItem(id);
  return (
    <H5Page title={item ? `材料 ${item.standardCode}` : '材料'} back>
      {isLoading || !item ? (
        <Spin />
      ) : (
        <>
          <Card size="small" data-testid="h5-evidence">
            <ItemHeader item={item} />
          </Card>
          {item.allowed.includes('save') ? (
            <Card size="small" title={item.state === 'returned' ? '修改后重新提交' : '上传报送'}>
              <EvidenceForm key={`${item.id}-${item.version}`} item={item} phone onDone={(d) => d.state === 'submitted' && navigate('/evidence')} />
            </Card>
          ) : (
            <Card size="small" title={item.title || '材料'}>
              <div className="h5-row-sub" style={{ marginBottom: 8 }}>
                材料日期：{dayText(item.evidenceDate)}
              </div>
              {item.description && <p style={{ whiteSpace: 'pre-wrap' }}>{item.description}</p>}
              <EvidenceFiles files={item.files.slice(0, item.fileCount)} />
            </Card>
          )}
          <Card size="small" title="流转记录">
            <EvidenceTimeline item={item} />
          </Card>
        </>
      )}
    </H5Page>
  );
}
