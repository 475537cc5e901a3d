import { CheckOutlined, RollbackOutlined, StepForwardOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Divider, Empty, Input, Modal, Select, Space, Spin, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { EvidenceDetail } from '../../../../contracts/evidence.ts';
import type { IndicatorTree } from '../../../../contracts/indicators.ts';
import { ApiError, get, post } from '../../../shared/api.ts';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { formatDateTime } from '../../../shared/format.ts';
import { defaultEvidenceSystem, EV, useEvidenceSystems, useItem, useQueue } from './api.ts';
import { dayText, EvidenceFiles, EvidenceSystemSelect, EvidenceTimeline, ItemHeader } from './kit.tsx';

/** The 测评项目 of a system, for the queue filter. */
export function useItemNodes(systemId: string | undefined) {
  return useQuery({
    queryKey: ['evidence', 'item-nodes', systemId],
    queryFn: async () => (await get<IndicatorTree>(`/api/indicator-systems/${systemId}/tree`)).nodes.filter((n) => n.level === 'item'),
    enabled: !!systemId,
  });
}

/** The decision panel of one submitted item: its files large, approve, or return with a reason. */
function Decision({ item, onDecided, onNext }: { item: EvidenceDetail; onDecided(): void; onNext(): void }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const decide = async (action: 'approve' | 'return') => {
    if (action === 'return' && !reason.trim()) {
      message.error('请填写退回原因');
      return;
    }
    setBusy(true);
    try {
      await post(EV.review(item.id), { action, reason: action === 'return' ? reason.trim() : undefined, version: item.version });
      message.success(action === 'approve' ? '已通过' : '已退回，单位将看到退回原因');
      setReturning(false);
      setReason('');
      await qc.invalidateQueries({ queryKey: ['evidence'] });
      onDecided();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
      if (e instanceof ApiError && e.status === 409) await qc.invalidateQueries({ queryKey: ['evidence'] });
    } finally {
      setBusy(false);
    }
  };
  const canReview = item.allowed.includes('approve');
  return (
    <Card
      size="small"
      data-testid="review-detail"
      title={
        <span>
          {item.number && <Tag color="red">{item.number}</Tag>}
          {item.title}
        </span>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Button icon={<StepForwardOutlined />} onClick={onNext} data-testid="review-next">
          下一份
        </Button>
        <Button danger icon={<RollbackOutlined />} disabled={!canReview} onClick={() => setReturning(true)} data-testid="review-return">
          退回
        </Button>
        <Button type="primary" icon={<CheckOutlined />} disabled={!canReview} loading={busy && !returning} onClick={() => void decide('approve')} data-testid="review-approve">
          通过
        </Button>
      </Space>
      <ItemHeader item={item} />
      <Divider style={{ margin: '12px 0' }} />
      <div style={{ marginBottom: 8, color: '#555' }}>
        材料日期：{dayText(item.evidenceDate)} · 提交：{item.submittedByName ?? '—'}
        {item.submittedAt ? `（${formatDateTime(item.submittedAt)}）` : ''}
      </div>
      {item.description && <p style={{ whiteSpace: 'pre-wrap' }}>{item.description}</p>}
      <EvidenceFiles files={item.files.slice(0, item.fileCount)} large />
      <Divider>流转记录</Divider>
      <EvidenceTimeline item={item} />
      <Modal
        open={returning}
        title="退回材料"
        okText="退回"
        okButtonProps={{ danger: true, loading: busy, id: 'review-return-confirm' }}
        cancelText="取消"
        onOk={() => void decide('return')}
        onCancel={() => setReturning(false)}
      >
        <p>请写明退回原因，单位联络员会在“我的材料”中看到并据此补充后重新提交。</p>
        <Input.TextArea rows={4} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} placeholder="如：缺少整治前后对比照片" data-testid="review-reason" />
      </Modal>
    </Card>
  );
}

/** 审核队列: submitted evidence in the reviewer's area, oldest first; one at a time with its files, approve or return, then the next. */
export function ReviewPage() {
  const [sp, setSp] = useSearchParams();
  const systems = useEvidenceSystems();
  const systemId = sp.get('systemId') ?? undefined;
  const itemNodeId = sp.get('itemNodeId') ?? undefined;
  const unitId = sp.get('unitId') ?? undefined;
  const selected = sp.get('item');
  const queue = useQueue({ systemId, itemNodeId, unitId, pageSize: 100 });
  const items = useItemNodes(systemId ?? defaultEvidenceSystem(systems.data)?.id);
  const detail = useItem(selected);
  const set = (patch: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) (v ? next.set(k, v) : next.delete(k));
    setSp(next, { replace: true });
  };
  const rows = queue.data?.items ?? [];
  // keep one item open: the oldest in the queue when none is chosen
  const first = rows[0]?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: set changes every render; the inputs that matter are listed
  useEffect(() => {
    if (!queue.isFetching && !selected && first) set({ item: first });
  }, [queue.isFetching, selected, first]);
  const next = () => {
    const i = rows.findIndex((r) => r.id === selected);
    const n = rows[(i + 1) % Math.max(rows.length, 1)];
    if (n) set({ item: n.id });
  };

  return (
    <div data-testid="review-page">
      <h1 className="cw-page-title">审核队列</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <EvidenceSystemSelect systems={systems.data} value={systemId} onChange={(v) => set({ systemId: v, itemNodeId: null, item: null })} />
          <Select
            allowClear
            placeholder="测评项目"
            style={{ width: 220 }}
            value={itemNodeId}
            onChange={(v) => set({ itemNodeId: v, item: null })}
            options={(items.data ?? []).map((n) => ({ value: n.id, label: `${n.code} ${n.text}` }))}
          />
          <UnitSelect value={unitId} onChange={(v) => set({ unitId: (v as string | undefined) ?? null, item: null })} placeholder="报送单位" style={{ width: 240 }} />
          <span style={{ color: '#888' }}>待审核 {queue.data?.total ?? 0} 份，最早提交的在前</span>
        </Space>
      </Card>
      <div className="ev-review">
        <Card size="small" title="待审核" styles={{ body: { padding: 0, maxHeight: 'calc(100vh - 260px)', overflow: 'auto' } }} data-testid="review-queue">
          {queue.isLoading ? (
            <Spin style={{ margin: 24 }} />
          ) : rows.length === 0 ? (
            <Empty style={{ padding: 24 }} description="没有待审核的材料" />
          ) : (
            rows.map((r) => (
              <div key={r.id} className={`ev-queue-row${r.id === selected ? ' active' : ''}`} onClick={() => set({ item: r.id })} data-testid="review-queue-row">
                <div className="ev-queue-title">
                  {r.number} {r.title}
                </div>
                <div className="ev-queue-sub">
                  {r.unitName} · {r.periodLabel} · {r.fileCount} 个文件
                </div>
                <div className="ev-queue-sub">{r.submittedAt ? `${formatDateTime(r.submittedAt)} 提交` : ''}</div>
              </div>
            ))
          )}
        </Card>
        <div>
          {selected && detail.data ? (
            <Decision item={detail.data} onDecided={() => set({ item: rows.find((r) => r.id !== selected)?.id ?? null })} onNext={next} />
          ) : selected && detail.isLoading ? (
            <Spin />
          ) : (
            <Card size="small">
              <Empty description="选择左侧的一份材料开始审核" />
            </Card>
          )}
        </div>
      </div>
    </div>
  );
}
