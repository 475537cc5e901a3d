import { App, Button, Drawer, Form, type FormInstance, Space } from 'antd';
import { type ReactNode, useState } from 'react';
import { applyServerError } from '../forms.ts';

type Props<V> = {
  title: string;
  form: FormInstance<V>;
  /** does the save; resolving `false` means it stopped itself (e.g. a local check failed): no toast */
  onSubmit(values: V): Promise<unknown>;
  onClose(): void;
  initialValues?: Partial<V>;
  size?: number;
  successMessage?: string;
  saveTestId?: string;
  children: ReactNode;
};

/**
 * The edit drawer every form uses: 取消/保存 in its header, a vertical form inside, a spinner
 * while saving, a toast on success, and server errors shown beside their fields.
 */
export function FormDrawer<V>({ title, form, onSubmit, onClose, initialValues, size = 520, successMessage = '已保存', saveTestId, children }: Props<V>) {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const submit = async (values: V) => {
    setSaving(true);
    try {
      if ((await onSubmit(values)) !== false) message.success(successMessage);
    } catch (e) {
      message.error(applyServerError(form, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Drawer
      open
      title={title}
      size={size}
      onClose={onClose}
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid={saveTestId}>
            保存
          </Button>
        </Space>
      }
    >
      <Form<V> form={form} layout="vertical" onFinish={submit} initialValues={initialValues}>
        {children}
      </Form>
    </Drawer>
  );
}
