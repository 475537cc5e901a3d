import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Dropdown, Input, InputNumber, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { AnswerCodes, type Question, type QuestionnaireDetail, type QuestionnaireModel, type QuestionnaireVersion, QuestionTypes } from '../../../../contracts/surveys.ts';
import { modelProblems, numericScale, SATISFACTION_OPTIONS } from '../../../../domain/survey-model.ts';
import { ApiError, api, get, post } from '../../../shared/api.ts';
import { formatDateTime } from '../../../shared/format.ts';
import { useMe } from '../../../shared/session.ts';

const codeOptions = Object.entries(AnswerCodes).map(([value, label]) => ({ value, label: `${label}（${value}）` }));
const typeOptions = Object.entries(QuestionTypes).map(([value, label]) => ({ value, label }));

function newQuestion(type: Question['type'], id: string): Question {
  const base = { id, type, title: '新题目', required: true, randomize: false };
  if (type === 'scale') return { ...base, options: SATISFACTION_OPTIONS };
  if (type === 'matrix') return { ...base, rows: [{ id: 'r1', label: '第一项' }], options: SATISFACTION_OPTIONS };
  if (type === 'single' || type === 'multiple')
    return {
      ...base,
      options: [
        { value: 'a', label: '选项一' },
        { value: 'b', label: '选项二' },
      ],
    };
  return base;
}

/** The questionnaire editor: sections, questions, options with their semantic codes, show-if, rates; a phone-frame preview beside it. */
export function EditorPage() {
  const { id } = useParams();
  const me = useMe();
  const canManage = !!me.data?.permissions.includes('surveys.manage');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const detail = useQuery({ queryKey: ['surveys', 'questionnaire', id], queryFn: () => get<QuestionnaireDetail>(`/api/surveys/questionnaires/${id}`) });
  const [versionId, setVersionId] = useState<string | null>(null);
  const version: QuestionnaireVersion | undefined = detail.data?.versions.find((v) => v.id === versionId) ?? detail.data?.versions[0];
  const [model, setModel] = useState<QuestionnaireModel | null>(null);
  const [serverErrors, setServerErrors] = useState<{ path: string; message: string }[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (version) {
      setModel(structuredClone(version.model));
      setServerErrors([]);
    }
  }, [version]);
  const readOnly = !canManage || version?.status !== 'draft';
  const problems = useMemo(() => (model ? modelProblems(model) : []), [model]);

  // the phone-frame preview: the public page's own renderer in an iframe, fed by postMessage
  const frame = useRef<HTMLIFrameElement>(null);
  useEffect(() => {
    const send = () => model && frame.current?.contentWindow?.postMessage({ type: 'cw-survey-preview', model }, location.origin);
    const t = setTimeout(send, 250);
    const onReady = (e: MessageEvent) => e.origin === location.origin && e.data?.type === 'cw-survey-preview-ready' && send();
    window.addEventListener('message', onReady);
    return () => {
      clearTimeout(t);
      window.removeEventListener('message', onReady);
    };
  }, [model]);

  if (!detail.data || !version || !model) return <Card loading />;
  const edit = (fn: (m: QuestionnaireModel) => void) => {
    const next = structuredClone(model);
    fn(next);
    setModel(next);
  };
  const allQ = model.sections.flatMap((s) => s.questions);
  const nextId = () => {
    let n = allQ.length + 1;
    while (allQ.some((q) => q.id === `Q${n}`)) n++;
    return `Q${n}`;
  };
  const run = async (fn: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    setServerErrors([]);
    try {
      await fn();
      message.success(ok);
      await qc.invalidateQueries({ queryKey: ['surveys'] });
    } catch (e) {
      const err = e as ApiError;
      setServerErrors(err.details?.length ? err.details : [{ path: '', message: err.message }]);
      message.error(err.message);
    } finally {
      setBusy(false);
    }
  };
  const save = () => run(() => api('PUT', `/api/surveys/versions/${version.id}`, { model, version: version.version }), '草稿已保存');
  const publish = () =>
    run(async () => {
      const saved = await api<QuestionnaireVersion>('PUT', `/api/surveys/versions/${version.id}`, { model, version: version.version });
      await post(`/api/surveys/versions/${version.id}/publish`, { version: saved.version });
    }, '已发布：本版本从此冻结，调查轮次可以使用它');
  const newVersion = () =>
    run(async () => {
      const v = await post<QuestionnaireVersion>(`/api/surveys/questionnaires/${id}/versions`);
      setVersionId(v.id);
    }, '已新建版本草稿');

  const rateItemOptions = allQ.flatMap((q) =>
    q.type === 'single' || q.type === 'scale' ? [{ value: q.id, label: `${q.id} ${q.title}` }] : q.type === 'matrix' ? (q.rows ?? []).map((r) => ({ value: `${q.id}.${r.id}`, label: `${q.id}.${r.id} ${q.title}：${r.label}` })) : [],
  );

  return (
    <Row gutter={16}>
      <Col xs={24} xl={15}>
        <Card
          title={
            <Space>
              {detail.data.name}
              <Select
                size="small"
                value={version.id}
                style={{ width: 180 }}
                onChange={setVersionId}
                options={detail.data.versions.map((v) => ({ value: v.id, label: `第 ${v.number} 版 · ${v.status === 'published' ? '已发布' : '草稿'}` }))}
              />
              {version.status === 'published' ? <Tag color="green">已发布 {version.publishedAt && formatDateTime(version.publishedAt)}</Tag> : <Tag color="orange">草稿</Tag>}
            </Space>
          }
          extra={
            canManage && (
              <Space>
                {version.status === 'draft' ? (
                  <>
                    <Button onClick={() => void save()} loading={busy} data-testid="save-draft">
                      保存草稿
                    </Button>
                    <Button type="primary" onClick={() => void publish()} loading={busy} disabled={problems.length > 0} data-testid="publish">
                      发布
                    </Button>
                  </>
                ) : (
                  <Button onClick={() => void newVersion()} loading={busy} disabled={detail.data.versions[0].status === 'draft'}>
                    新建版本（修改已发布问卷）
                  </Button>
                )}
              </Space>
            )
          }
        >
          {readOnly && version.status === 'published' && <Alert type="info" showIcon style={{ marginBottom: 12 }} title="已发布的版本不可修改，答卷保留其填写的版本；如需修改，请新建版本。" />}
          {[...problems, ...serverErrors].length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title="发布前请修正"
              description={
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {[...problems, ...serverErrors].map((p) => (
                    <li key={p.path + p.message}>{p.message}</li>
                  ))}
                </ul>
              }
            />
          )}
          <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Input addonBefore="标题" value={model.title} onChange={(e) => edit((m) => {
m.title = e.target.value;
})} />
              <Input.TextArea rows={2} placeholder="开头语" value={model.intro} onChange={(e) => edit((m) => {
m.intro = e.target.value;
})} />
              {model.sections.map((s, si) => (
                <Card
                  key={s.id}
                  size="small"
                  title={<Input variant="borderless" value={s.title} placeholder="节标题" onChange={(e) => edit((m) => {
m.sections[si].title = e.target.value;
})} style={{ fontWeight: 600 }} />}
                  extra={
                    !readOnly && (
                      <Space>
                        <Dropdown
                          menu={{
                            items: typeOptions.map((t) => ({ key: t.value, label: t.label })),
                            onClick: ({ key }) => edit((m) => void m.sections[si].questions.push(newQuestion(key as Question['type'], nextId()))),
                          }}
                        >
                          <Button size="small" icon={<PlusOutlined />} data-testid={`add-question-${si}`}>
                            添加题目
                          </Button>
                        </Dropdown>
                        {model.sections.length > 1 && <Button size="small" danger icon={<DeleteOutlined />} onClick={() => edit((m) => void m.sections.splice(si, 1))} />}
                      </Space>
                    )
                  }
                >
                  {s.questions.map((q, qi) => (
                    <QuestionEditor
                      key={`${q.id}-${qi}`}
                      q={q}
                      earlier={model.sections.flatMap((x, xi) => (xi < si ? x.questions : xi === si ? x.questions.slice(0, qi) : []))}
                      readOnly={readOnly}
                      onChange={(nq) => edit((m) => {
m.sections[si].questions[qi] = nq;
})}
                      onMove={(d) =>
                        edit((m) => {
                          const list = m.sections[si].questions;
                          const j = qi + d;
                          if (j >= 0 && j < list.length) [list[qi], list[j]] = [list[j], list[qi]];
                        })
                      }
                      onDelete={() => edit((m) => void m.sections[si].questions.splice(qi, 1))}
                    />
                  ))}
                </Card>
              ))}
              {!readOnly && (
                <Button icon={<PlusOutlined />} onClick={() => edit((m) => void m.sections.push({ id: `S${m.sections.length + 1}`, title: `第${m.sections.length + 1}节`, questions: [] }))}>
                  添加一节
                </Button>
              )}
              <Card size="small" title="指标定义（比率 = 分子代码的回答数 ÷ 未被排除的回答数）" data-testid="rates-editor">
                {model.rates.map((r, ri) => (
                  <Card key={`${r.id}-${ri}`} size="small" style={{ marginBottom: 8 }} extra={!readOnly && <Button size="small" danger icon={<DeleteOutlined />} onClick={() => edit((m) => void m.rates.splice(ri, 1))} />}>
                    <Space wrap>
                      <Input addonBefore="名称" value={r.name} style={{ width: 180 }} onChange={(e) => edit((m) => {
m.rates[ri].name = e.target.value;
})} />
                      <Input addonBefore="编号" value={r.id} style={{ width: 160 }} onChange={(e) => edit((m) => {
m.rates[ri].id = e.target.value;
})} />
                      <InputNumber addonBefore="目标" addonAfter="%" min={0} max={100} value={r.target === undefined ? null : Math.round(r.target * 100)} onChange={(v) => edit((m) => {
m.rates[ri].target = v === null ? undefined : v / 100;
})} />
                    </Space>
                    <div style={{ marginTop: 8 }}>
                      <Typography.Text type="secondary">题目与权重</Typography.Text>
                      {r.items.map((it, ii) => (
                        <Space key={`${it.question}-${ii}`} style={{ display: 'flex', marginTop: 4 }}>
                          <Select style={{ width: 360 }} value={it.question} options={rateItemOptions} onChange={(v) => edit((m) => {
m.rates[ri].items[ii].question = v;
})} />
                          <InputNumber addonBefore="权重" min={0.01} value={it.weight} onChange={(v) => edit((m) => {
m.rates[ri].items[ii].weight = v ?? 1;
})} />
                          {!readOnly && r.items.length > 1 && <Button size="small" icon={<DeleteOutlined />} onClick={() => edit((m) => void m.rates[ri].items.splice(ii, 1))} />}
                        </Space>
                      ))}
                      {!readOnly && rateItemOptions.length > 0 && (
                        <Button size="small" type="link" onClick={() => edit((m) => void m.rates[ri].items.push({ question: rateItemOptions[0].value, weight: 1 }))}>
                          + 题目
                        </Button>
                      )}
                    </div>
                    <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
                      <Select mode="multiple" style={{ width: '100%' }} placeholder="计入分子的代码" value={r.numerator} options={codeOptions} onChange={(v) => edit((m) => {
m.rates[ri].numerator = v;
})} data-testid={`rate-numerator-${ri}`} />
                      <Select mode="multiple" style={{ width: '100%' }} placeholder="排除出分母的代码（如 不清楚、不适用）" value={r.excluded} options={codeOptions} onChange={(v) => edit((m) => {
m.rates[ri].excluded = v;
})} />
                    </Space>
                  </Card>
                ))}
                {!readOnly && (
                  <Button
                    icon={<PlusOutlined />}
                    onClick={() => edit((m) => void m.rates.push({ id: `rate${m.rates.length + 1}`, name: '新指标', items: rateItemOptions.length ? [{ question: rateItemOptions[0].value, weight: 1 }] : [], numerator: [], excluded: [] }))}
                    data-testid="add-rate"
                  >
                    添加指标
                  </Button>
                )}
              </Card>
            </Space>
          </fieldset>
        </Card>
      </Col>
      <Col xs={24} xl={9}>
        <Card title="手机预览" size="small" style={{ position: 'sticky', top: 16 }}>
          <div style={{ width: 375, height: 700, margin: '0 auto', border: '10px solid #222', borderRadius: 32, overflow: 'hidden', background: '#f4f5f7' }}>
            <iframe ref={frame} title="手机预览" src="/s/preview" style={{ width: '100%', height: '100%', border: 0 }} data-testid="phone-preview" />
          </div>
        </Card>
      </Col>
    </Row>
  );
}

function QuestionEditor({
  q,
  earlier,
  readOnly,
  onChange,
  onMove,
  onDelete,
}: {
  q: Question;
  earlier: Question[];
  readOnly: boolean;
  onChange(q: Question): void;
  onMove(d: -1 | 1): void;
  onDelete(): void;
}) {
  const set = (patch: Partial<Question>) => onChange({ ...q, ...patch });
  const choice = q.type === 'single' || q.type === 'multiple' || q.type === 'scale' || q.type === 'matrix';
  const condQ = earlier.filter((x) => x.type === 'single' || x.type === 'multiple' || x.type === 'scale');
  const dep = condQ.find((x) => x.id === q.showIf?.question);
  return (
    <div style={{ borderTop: '1px solid #f0f0f0', padding: '10px 0' }} data-testid={`question-${q.id}`}>
      <Space wrap style={{ width: '100%' }}>
        <Input value={q.id} style={{ width: 70 }} onChange={(e) => set({ id: e.target.value })} />
        <Select value={q.type} style={{ width: 100 }} options={typeOptions} onChange={(t) => onChange({ ...newQuestion(t, q.id), title: q.title })} />
        <Input value={q.title} style={{ width: 380 }} onChange={(e) => set({ title: e.target.value })} data-testid={`title-${q.id}`} />
        <Switch checkedChildren="必答" unCheckedChildren="选答" checked={q.required} onChange={(v) => set({ required: v })} />
        {choice && <Switch checkedChildren="随机排序" unCheckedChildren="固定顺序" checked={q.randomize} onChange={(v) => set({ randomize: v })} />}
        {!readOnly && (
          <>
            <Button size="small" icon={<ArrowUpOutlined />} onClick={() => onMove(-1)} />
            <Button size="small" icon={<ArrowDownOutlined />} onClick={() => onMove(1)} />
            <Button size="small" danger icon={<DeleteOutlined />} onClick={onDelete} />
          </>
        )}
      </Space>
      {choice && (
        <div style={{ marginTop: 6, paddingLeft: 78 }}>
          {(q.options ?? []).map((o, oi) => (
            <Space key={`${o.value}-${oi}`} style={{ display: 'flex', marginBottom: 4 }}>
              <Input value={o.value} style={{ width: 64 }} onChange={(e) => set({ options: (q.options ?? []).map((x, i) => (i === oi ? { ...x, value: e.target.value } : x)) })} />
              <Input value={o.label} style={{ width: 200 }} onChange={(e) => set({ options: (q.options ?? []).map((x, i) => (i === oi ? { ...x, label: e.target.value } : x)) })} />
              <Select
                allowClear
                placeholder="语义代码"
                style={{ width: 200 }}
                value={o.code}
                options={codeOptions}
                onChange={(c) => set({ options: (q.options ?? []).map((x, i) => (i === oi ? { ...x, code: c } : x)) })}
              />
              {!readOnly && <Button size="small" icon={<DeleteOutlined />} onClick={() => set({ options: (q.options ?? []).filter((_, i) => i !== oi) })} />}
            </Space>
          ))}
          {!readOnly && (
            <Space>
              <Button size="small" type="link" onClick={() => set({ options: [...(q.options ?? []), { value: `o${(q.options ?? []).length + 1}`, label: '新选项' }] })}>
                + 选项
              </Button>
              {(q.type === 'scale' || q.type === 'matrix') && (
                <>
                  <Button size="small" type="link" onClick={() => set({ options: SATISFACTION_OPTIONS })}>
                    满意度五级
                  </Button>
                  <Button size="small" type="link" onClick={() => set({ options: numericScale(5) })}>
                    1–5 分
                  </Button>
                  <Button size="small" type="link" onClick={() => set({ options: numericScale(10) })}>
                    1–10 分
                  </Button>
                </>
              )}
            </Space>
          )}
        </div>
      )}
      {q.type === 'matrix' && (
        <div style={{ marginTop: 6, paddingLeft: 78 }}>
          <Typography.Text type="secondary">行：</Typography.Text>
          {(q.rows ?? []).map((r, ri) => (
            <Space key={`${r.id}-${ri}`} style={{ display: 'flex', marginBottom: 4 }}>
              <Input value={r.id} style={{ width: 80 }} onChange={(e) => set({ rows: (q.rows ?? []).map((x, i) => (i === ri ? { ...x, id: e.target.value } : x)) })} />
              <Input value={r.label} style={{ width: 260 }} onChange={(e) => set({ rows: (q.rows ?? []).map((x, i) => (i === ri ? { ...x, label: e.target.value } : x)) })} />
              {!readOnly && <Button size="small" icon={<DeleteOutlined />} onClick={() => set({ rows: (q.rows ?? []).filter((_, i) => i !== ri) })} />}
            </Space>
          ))}
          {!readOnly && (
            <Button size="small" type="link" onClick={() => set({ rows: [...(q.rows ?? []), { id: `r${(q.rows ?? []).length + 1}`, label: '新的一行' }] })}>
              + 行
            </Button>
          )}
        </div>
      )}
      {q.type === 'number' && (
        <Space style={{ marginTop: 6, paddingLeft: 78 }}>
          <InputNumber addonBefore="最小" value={q.min} onChange={(v) => set({ min: v ?? undefined })} />
          <InputNumber addonBefore="最大" value={q.max} onChange={(v) => set({ max: v ?? undefined })} />
        </Space>
      )}
      {condQ.length > 0 && (
        <Space style={{ marginTop: 6, paddingLeft: 78 }} wrap>
          <Typography.Text type="secondary">显示条件：</Typography.Text>
          <Select
            allowClear
            placeholder="总是显示"
            style={{ width: 220 }}
            value={q.showIf?.question}
            options={condQ.map((x) => ({ value: x.id, label: `${x.id} ${x.title}` }))}
            onChange={(v) => set({ showIf: v ? { question: v, anyOf: [] } : undefined })}
          />
          {dep && (
            <Select
              mode="multiple"
              style={{ width: 260 }}
              placeholder="选了其中任一项时显示"
              value={q.showIf?.anyOf}
              options={(dep.options ?? []).map((o) => ({ value: o.value, label: o.label }))}
              onChange={(v) => set({ showIf: { question: dep.id, anyOf: v } })}
            />
          )}
        </Space>
      )}
    </div>
  );
}
