import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Empty, Form, Input, Modal, Popconfirm, Radio, Select, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { type Holiday, HolidayKindLabels, type HolidayKind } from '../../../../contracts/holidays.ts';
import { ApiError, del, get, post } from '../../../shared/api.ts';
import { applyServerError } from '../../../shared/forms.ts';
import { can, useMe } from '../../../shared/session.ts';
import './issues.css';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
/** The weekday of a calendar date, independent of the browser's zone. */
const weekday = (d: string) => WEEKDAYS[new Date(`${d}T12:00:00Z`).getUTCDay()];
const thisYear = () => Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));

/**
 * 节假日: the year's 放假 and 调休上班 days, month by month. Deadlines of categories counted in
 * working days skip weekends and 放假 days and count 调休上班 days.
 */
export function HolidaysPage() {
  const { data: me } = useMe();
  const canEdit = can(me, 'issues.manage') && me?.unit.kind === 'city';
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [year, setYear] = useState(thisYear());
  const [adding, setAdding] = useState(false);
  const list = useQuery({ queryKey: ['holidays', year], queryFn: () => get<Holiday[]>(`/api/holidays?year=${year}`) });

  const months = new Map<number, Holiday[]>();
  for (const h of list.data ?? []) {
    const m = Number(h.date.slice(5, 7));
    months.set(m, [...(months.get(m) ?? []), h]);
  }
  const off = (list.data ?? []).filter((h) => h.kind === 'holiday').length;
  const on = (list.data ?? []).filter((h) => h.kind === 'workday').length;

  const remove = async (h: Holiday) => {
    try {
      await del(`/api/holidays/${h.id}`);
      message.success(`已删除 ${h.date} ${h.name}`);
      await qc.invalidateQueries({ queryKey: ['holidays'] });
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '删除失败');
    }
  };

  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 8 }}>
        <h1 className="cw-page-title">节假日</h1>
        <Space style={{ marginBottom: 16 }}>
          <Select
            value={year}
            onChange={setYear}
            style={{ width: 110 }}
            options={[-1, 0, 1, 2].map((d) => ({ value: thisYear() + d, label: `${thisYear() + d} 年` }))}
            data-testid="holidays-year"
          />
          {canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="holiday-add">
              添加日期
            </Button>
          )}
        </Space>
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <span style={{ color: '#666' }}>
          {year} 年共 {off} 天放假、{on} 天调休上班。按「工作日」计时限的问题分类跳过周末和放假日，调休上班日照常计算。
          {!canEdit && '节假日安排全市统一，由市级管理员维护。'}
        </span>
      </Card>
      {list.data?.length === 0 ? (
        <Card>
          <Empty description={`${year} 年尚未设置节假日`} />
        </Card>
      ) : (
        <div className="cw-holiday-months" data-testid="holidays-months">
          {[...months.entries()].map(([m, days]) => (
            <Card key={m} size="small" title={`${m} 月`}>
              {days.map((h) => (
                <div key={h.id} style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '3px 0' }} data-testid="holiday-row">
                  <span>
                    {Number(h.date.slice(8))} 日（周{weekday(h.date)}）
                    <Tag color={h.kind === 'holiday' ? 'red' : 'blue'} style={{ marginInlineStart: 6 }}>
                      {HolidayKindLabels[h.kind]}
                    </Tag>
                    {h.name}
                  </span>
                  {canEdit && (
                    <Popconfirm title={`删除 ${h.date} 的安排？`} onConfirm={() => void remove(h)} okText="删除" cancelText="取消">
                      <a style={{ color: '#c8102e', flex: 'none', marginInlineStart: 8 }}>删除</a>
                    </Popconfirm>
                  )}
                </div>
              ))}
            </Card>
          ))}
        </div>
      )}
      {adding && (
        <HolidayForm
          onClose={() => setAdding(false)}
          onSaved={async (h) => {
            setAdding(false);
            setYear(Number(h.date.slice(0, 4)));
            await qc.invalidateQueries({ queryKey: ['holidays'] });
          }}
        />
      )}
    </div>
  );
}

function HolidayForm({ onClose, onSaved }: { onClose(): void; onSaved(h: Holiday): void }) {
  const [form] = Form.useForm<{ date: Dayjs; kind: HolidayKind; name: string }>();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  return (
    <Modal open title="添加节假日安排" onCancel={onClose} onOk={() => form.submit()} okText="保存" cancelText="取消" okButtonProps={{ loading: saving }}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'holiday' }}
        onFinish={async (v) => {
          setSaving(true);
          try {
            const h = await post<Holiday>('/api/holidays', { date: v.date.format('YYYY-MM-DD'), kind: v.kind, name: v.name });
            message.success(`已设置 ${h.date} 为${HolidayKindLabels[h.kind]}`);
            onSaved(h);
          } catch (e) {
            message.error(applyServerError(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="date" label="日期" rules={[{ required: true, message: '请选择日期' }]} extra="同一日期已有安排时将被替换">
          <DatePicker style={{ width: '100%' }} data-testid="holiday-date" />
        </Form.Item>
        <Form.Item name="kind" label="类型">
          <Radio.Group optionType="button" options={Object.entries(HolidayKindLabels).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, message: '请填写名称（如 春节）' }]}>
          <Input maxLength={20} placeholder="如：春节、国庆节调休" data-testid="holiday-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
