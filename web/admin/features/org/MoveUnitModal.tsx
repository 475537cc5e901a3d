import { App, Modal, Typography } from 'antd';
import { useState } from 'react';
import type { OrgUnit } from '../../../../contracts/org.ts';
import { ApiError, post } from '../../../shared/api.ts';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';

export function MoveUnitModal({ unit, onClose, onMoved }: { unit: OrgUnit; onClose(): void; onMoved(): void }) {
  const { message } = App.useApp();
  const [parentId, setParentId] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    if (!parentId) return void message.warning('请选择新的上级单位');
    setSaving(true);
    try {
      await post(`/api/org/units/${unit.id}/move`, { parentId, version: unit.version });
      message.success('已移动');
      onMoved();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '移动失败');
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={`移动「${unit.name}」`} onCancel={onClose} onOk={submit} confirmLoading={saving} okText="移动">
      <Typography.Paragraph type="secondary">其下级单位和点位随之移动；历史记录与审计日志保留。</Typography.Paragraph>
      <UnitSelect value={parentId} onChange={(v) => setParentId(v as string)} style={{ width: '100%' }} placeholder="选择新的上级单位" />
    </Modal>
  );
}
