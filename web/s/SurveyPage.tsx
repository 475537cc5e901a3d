/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Answers, AnswerValue, PublicRound, Question } from '../../contracts/surveys.ts';
import { answerProblems, isVisible, optionOrder, questionIndex } from '../../domain/survey-model.ts';
import { ApiError, api, deviceToken, embedded, randomKey } from './api.ts';

type Submitted = { id: string; duplicate: boolean; overQuota: boolean; thanks: string };
type Queued = { roundId: string; body: Record<string, unknown>; label: string };

const params = new URLSearchParams(location.search);

/** Answers to questions the respondent no longer sees are dropped before checking and sending. */
function visibleAnswers(model: PublicRound['model'], answers: Answers): Answers {
  const byId = questionIndex(model);
  const out: Answers = {};
  for (const [k, v] of Object.entries(answers)) {
    const q = byId.get(k);
    if (q && isVisible(model, q, answers, byId)) out[k] = v;
  }
  return out;
}

export function SurveyPage({ slug }: { slug: string }) {
  const [round, setRound] = useState<PublicRound | null>(() => {
    const d = embedded<{ round: PublicRound }>('survey');
    return d?.round.slug === slug ? d.round : null;
  });
  const [loadError, setLoadError] = useState<string | null>(null);
  const surveyor = params.get('surveyor') === '1';
  // biome-ignore lint/correctness/useExhaustiveDependencies: fetched once per slug, unless the server embedded it
  useEffect(() => {
    if (round) {
      document.title = round.model.title;
      return;
    }
    api<PublicRound>('GET', `/api/public/surveys/${slug}`).then(
      (r) => {
        setRound(r);
        document.title = r.model.title;
      },
      (e: Error) => setLoadError(e.message),
    );
  }, [slug]);
  if (loadError) return <div className="s-card s-msg">{loadError}</div>;
  if (!round) return <div className="s-loading">正在加载…</div>;
  if (!round.open) return <Closed round={round} />;
  return surveyor ? <EnumeratorForm round={round} /> : <PublicForm round={round} />;
}

function Closed({ round }: { round: PublicRound }) {
  return (
    <div className="s-page">
      <header className="s-head">
        <h1>{round.model.title}</h1>
      </header>
      <div className="s-card s-msg">{round.message}</div>
    </div>
  );
}

function PublicForm({ round }: { round: PublicRound }) {
  const doneKey = `cw_done_${round.slug}`;
  const [done, setDone] = useState<Submitted | null>(() => {
    try {
      const v = localStorage.getItem(doneKey);
      return v ? (JSON.parse(v) as Submitted) : null;
    } catch {
      return null;
    }
  });
  if (done) {
    return (
      <div className="s-page">
        <header className="s-head">
          <h1>{round.model.title}</h1>
        </header>
        <div className="s-card s-msg s-ok" data-testid="survey-thanks">
          <div className="s-big">✓</div>
          {done.thanks}
          {done.overQuota && <p className="s-note">本类别样本已满，您的答卷已记录并单独标注。</p>}
        </div>
      </div>
    );
  }
  return (
    <SurveyForm
      round={round}
      onSubmit={async (body) => {
        const r = await api<Submitted>('POST', `/api/public/surveys/${round.slug}/responses`, { ...body, deviceToken: round.needs.device ? deviceToken() : undefined });
        try {
          localStorage.setItem(doneKey, JSON.stringify(r));
        } catch {
          /* private mode */
        }
        setDone(r);
      }}
    />
  );
}

/** 入户/街访 on a surveyor's phone: each response is queued locally and sent with its key until the server has it (exactly once). */
function EnumeratorForm({ round }: { round: PublicRound }) {
  const queueKey = `cw_queue_${round.slug}`;
  const [me, setMe] = useState<{ name: string } | null | 'anon'>(null);
  const [queue, setQueue] = useState<Queued[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(queueKey) ?? '[]') as Queued[];
    } catch {
      return [];
    }
  });
  const [sent, setSent] = useState(0);
  const [syncError, setSyncError] = useState<string | null>(null);
  const [place, setPlace] = useState('');
  const [kind, setKind] = useState<'household' | 'street'>('household');
  const [pos, setPos] = useState<{ lng: number; lat: number } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const syncing = useRef(false);

  const save = (q: Queued[]) => {
    setQueue(q);
    try {
      localStorage.setItem(queueKey, JSON.stringify(q));
    } catch {
      /* storage full: the queue stays in memory */
    }
  };
  const sync = async () => {
    if (syncing.current) return;
    syncing.current = true;
    setSyncError(null);
    try {
      let q = JSON.parse(localStorage.getItem(queueKey) ?? '[]') as Queued[];
      while (q.length) {
        const item = q[0];
        try {
          await api('POST', `/api/surveys/rounds/${item.roundId}/collect`, item.body);
          setSent((n) => n + 1);
        } catch (e) {
          if (e instanceof ApiError && (e.status === 0 || e.status >= 500 || e.status === 401 || e.status === 429)) {
            setSyncError(e.status === 401 ? '登录已过期，请重新登录后同步' : '网络不可用，答卷已保存在本机，联网后自动同步');
            break;
          }
          setSyncError(`“${item.label}”未被接收：${(e as Error).message}`);
        }
        q = q.slice(1);
        save(q);
      }
    } finally {
      syncing.current = false;
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once on mount; sync reads the queue from storage each time
  useEffect(() => {
    api<{ user: { name: string } }>('GET', '/api/auth/me').then(
      (r) => setMe({ name: r.user.name }),
      () => setMe('anon'),
    );
    const on = () => void sync();
    window.addEventListener('online', on);
    const timer = setInterval(on, 30_000);
    void sync();
    return () => {
      window.removeEventListener('online', on);
      clearInterval(timer);
    };
  }, []);

  if (me === 'anon') {
    return (
      <div className="s-card s-msg">
        调查员代填需要先登录。<a href="/h5">去登录</a>，登录后重新打开本链接。
      </div>
    );
  }
  return (
    <div className="s-page">
      <header className="s-head">
        <h1>{round.model.title}</h1>
        <p>调查员代填 · {me ? me.name : ''}</p>
      </header>
      <div className="s-card s-sync" data-testid="survey-sync">
        本机已提交 {sent} 份，待同步 <b>{queue.length}</b> 份
        {queue.length > 0 && (
          <button type="button" className="s-link" onClick={() => void sync()}>
            立即同步
          </button>
        )}
        {syncError && <div className="s-err">{syncError}</div>}
      </div>
      <div className="s-card">
        <div className="s-q-title">方式</div>
        <div className="s-chips">
          {(['household', 'street'] as const).map((k) => (
            <button type="button" key={k} className={kind === k ? 's-chip on' : 's-chip'} onClick={() => setKind(k)}>
              {k === 'household' ? '入户' : '街访'}
            </button>
          ))}
        </div>
        <div className="s-q-title">地点</div>
        <input className="s-input" value={place} onInput={(e) => setPlace(e.currentTarget.value)} placeholder="如：幸福里小区3栋2单元" maxLength={200} />
        <button
          type="button"
          className="s-link"
          onClick={() =>
            navigator.geolocation?.getCurrentPosition(
              (p) => setPos({ lng: Number(p.coords.longitude.toFixed(6)), lat: Number(p.coords.latitude.toFixed(6)) }),
              () => setSyncError('未能取得定位，可只填写地点'),
              { timeout: 8000 },
            )
          }
        >
          {pos ? `已定位 ${pos.lat}, ${pos.lng}` : '取当前定位'}
        </button>
      </div>
      <SurveyForm
        key={formKey}
        round={round}
        submitLabel="保存本份答卷"
        onSubmit={async (body) => {
          const item: Queued = {
            roundId: round.id,
            label: `${place || '未填地点'} ${new Date().toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' })}`,
            body: { ...body, collectedAt: new Date().toISOString(), place, kind, lng: pos?.lng ?? null, lat: pos?.lat ?? null },
          };
          save([...queue, item]);
          setFormKey((k) => k + 1);
          window.scrollTo(0, 0);
          void sync();
        }}
      />
    </div>
  );
}

function SurveyForm({ round, onSubmit, submitLabel = '提交问卷' }: { round: PublicRound; onSubmit: (body: Record<string, unknown>) => Promise<void>; submitLabel?: string }) {
  const model = round.model;
  const [answers, setAnswers] = useState<Answers>({});
  const [demo, setDemo] = useState<{ areaUnitId: string | null; ageBand: string | null; identity: string | null }>({ areaUnitId: null, ageBand: null, identity: null });
  const [token, setToken] = useState(params.get('t') ?? '');
  const [phone, setPhone] = useState('');
  const [otp, setOtp] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [otpSent, setOtpSent] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const startedAt = useMemo(() => new Date().toISOString(), []);
  const clientKey = useMemo(() => randomKey(24), []);
  const seed = useMemo(() => deviceToken(), []);
  const byId = useMemo(() => questionIndex(model), [model]);
  const surveyor = params.get('surveyor') === '1';

  const set = (id: string, v: AnswerValue | undefined) => {
    setAnswers((a) => {
      const next = { ...a };
      if (v === undefined) delete next[id];
      else next[id] = v;
      return next;
    });
    setErrors((e) => {
      const { [id]: _drop, ...rest } = e;
      return rest;
    });
  };

  const submit = async () => {
    setFormError(null);
    const clean = visibleAnswers(model, answers);
    const problems = answerProblems(model, clean);
    const errs: Record<string, string> = {};
    for (const p of problems) errs[p.path.split('.')[1]] ??= p.message;
    const c = round.choices;
    if (c.areas.length && !demo.areaUnitId) errs._area = '请选择您所在的区域';
    if (c.ageBands.length && !demo.ageBand) errs._age = '请选择您的年龄段';
    if (c.identities.length && !demo.identity) errs._identity = '请选择您的身份';
    setErrors(errs);
    const first = Object.keys(errs)[0];
    if (first) {
      document.getElementById(`q-${first}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
      return;
    }
    setBusy(true);
    try {
      await onSubmit({
        clientKey,
        answers: clean,
        demographics: demo,
        startedAt,
        token: !surveyor && token ? token.trim() : undefined,
        phone: round.needs.phone ? phone : undefined,
        otp: round.needs.phone ? otp : undefined,
        idNumber: round.needs.idNumber ? idNumber : undefined,
      });
    } catch (e) {
      const err = e as ApiError;
      setFormError(err.message);
      const errs2: Record<string, string> = {};
      for (const d of err.details ?? []) {
        const [, field, id] = d.path.split('.');
        errs2[field === 'answers' ? id : `_${field}`] ??= d.message;
      }
      setErrors(errs2);
    } finally {
      setBusy(false);
    }
  };

  let n = 0;
  return (
    <div className="s-page">
      {!surveyor && (
        <header className="s-head">
          <h1>{model.title}</h1>
          {model.intro && <p>{model.intro}</p>}
        </header>
      )}
      <Demographics round={round} value={demo} onChange={setDemo} errors={errors} />
      {(round.needs.token || round.needs.phone || round.needs.idNumber) && !surveyor && (
        <div className="s-card">
          {round.needs.token && (
            <Field id="_token" label="入户邀请码" error={errors._token}>
              <input className="s-input" value={token} onInput={(e) => setToken(e.currentTarget.value.toUpperCase())} placeholder="见调查员发放的邀请卡" maxLength={16} autoCapitalize="characters" />
            </Field>
          )}
          {round.needs.phone && (
            <Field id="_phone" label="手机号（仅用于防止重复填写，不与答卷关联）" error={errors._phone ?? errors._otp}>
              <input className="s-input" inputMode="numeric" value={phone} onInput={(e) => setPhone(e.currentTarget.value.replace(/\D/g, ''))} maxLength={11} placeholder="11 位手机号" />
              <div className="s-row">
                <input className="s-input" inputMode="numeric" value={otp} onInput={(e) => setOtp(e.currentTarget.value.replace(/\D/g, ''))} maxLength={6} placeholder="短信验证码" />
                <button
                  type="button"
                  className="s-btn-sec"
                  disabled={Date.now() - otpSent < 60_000 || !/^1\d{10}$/.test(phone)}
                  onClick={() =>
                    api('POST', `/api/public/surveys/${round.slug}/otp`, { phone }).then(
                      () => setOtpSent(Date.now()),
                      (e: Error) => setFormError(e.message),
                    )
                  }
                >
                  {otpSent ? '已发送' : '获取验证码'}
                </button>
              </div>
            </Field>
          )}
          {round.needs.idNumber && (
            <Field id="_idNumber" label="身份证号（仅保存不可逆的校验值）" error={errors._idNumber}>
              <input className="s-input" value={idNumber} onInput={(e) => setIdNumber(e.currentTarget.value.toUpperCase())} maxLength={18} />
            </Field>
          )}
        </div>
      )}
      {model.sections.map((s) => (
        <section key={s.id} className="s-section">
          {s.title && <h2>{s.title}</h2>}
          {s.description && <p className="s-note">{s.description}</p>}
          {s.questions.map((q) => {
            if (!isVisible(model, q, answers, byId)) return null;
            n += 1;
            return <QuestionCard key={q.id} q={q} n={n} value={answers[q.id]} onChange={(v) => set(q.id, v)} error={errors[q.id]} seed={seed} />;
          })}
        </section>
      ))}
      {formError && <div className="s-card s-err" role="alert">{formError}</div>}
      <button type="button" className="s-submit" disabled={busy} onClick={() => void submit()}>
        {busy ? '正在提交…' : submitLabel}
      </button>
      <p className="s-foot">本问卷匿名填写，结果仅以汇总形式使用。</p>
    </div>
  );
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ComponentChildren }) {
  return (
    <div id={`q-${id}`} className={error ? 's-field has-err' : 's-field'}>
      <div className="s-q-title">{label}</div>
      {children}
      {error && <div className="s-err">{error}</div>}
    </div>
  );
}

function Demographics({
  round,
  value,
  onChange,
  errors,
}: {
  round: PublicRound;
  value: { areaUnitId: string | null; ageBand: string | null; identity: string | null };
  onChange: (v: { areaUnitId: string | null; ageBand: string | null; identity: string | null }) => void;
  errors: Record<string, string>;
}) {
  const c = round.choices;
  if (!c.areas.length && !c.ageBands.length && !c.identities.length) return null;
  const group = (id: string, label: string, opts: { value: string; label: string }[], cur: string | null, pick: (v: string) => void) =>
    opts.length > 0 && (
      <Field id={id} label={label} error={errors[id]}>
        <div className="s-chips">
          {opts.map((o) => (
            <button type="button" key={o.value} className={cur === o.value ? 's-chip on' : 's-chip'} aria-pressed={cur === o.value} onClick={() => pick(o.value)}>
              {o.label}
            </button>
          ))}
        </div>
      </Field>
    );
  return (
    <div className="s-card">
      <div className="s-card-title">基本情况</div>
      {group(
        '_area',
        '您所在的区域',
        c.areas.map((a) => ({ value: a.id, label: a.name })),
        value.areaUnitId,
        (v) => onChange({ ...value, areaUnitId: v }),
      )}
      {group('_age', '您的年龄段', c.ageBands, value.ageBand, (v) => onChange({ ...value, ageBand: v }))}
      {group('_identity', '您的身份', c.identities, value.identity, (v) => onChange({ ...value, identity: v }))}
    </div>
  );
}

function QuestionCard({ q, n, value, onChange, error, seed }: { q: Question; n: number; value: AnswerValue | undefined; onChange: (v: AnswerValue | undefined) => void; error?: string; seed: string }) {
  const options = useMemo(() => (q.randomize ? optionOrder(q.options ?? [], `${seed}:${q.id}`) : (q.options ?? [])), [q, seed]);
  const horizontal = q.type === 'scale' && options.length > 5;
  return (
    <div id={`q-${q.id}`} className={error ? 's-card s-q has-err' : 's-card s-q'} data-question={q.id}>
      <div className="s-q-title">
        <span className="s-num">{n}.</span> {q.title}
        {q.required && <span className="s-req">*</span>}
        {q.type === 'multiple' && <span className="s-hint">（可多选）</span>}
      </div>
      {q.description && <p className="s-note">{q.description}</p>}
      {(q.type === 'single' || q.type === 'scale') && (
        <div className={horizontal ? 's-scale' : 's-opts'} role="radiogroup">
          {options.map((o) => (
            <label key={o.value} className={value === o.value ? 's-opt on' : 's-opt'}>
              <input type="radio" name={q.id} checked={value === o.value} onChange={() => onChange(o.value)} />
              <span>{o.label}</span>
            </label>
          ))}
        </div>
      )}
      {q.type === 'multiple' && (
        <div className="s-opts">
          {options.map((o) => {
            const cur = Array.isArray(value) ? value : [];
            const on = cur.includes(o.value);
            return (
              <label key={o.value} className={on ? 's-opt on' : 's-opt'}>
                <input type="checkbox" checked={on} onChange={() => onChange(on ? cur.filter((x) => x !== o.value) : [...cur, o.value])} />
                <span>{o.label}</span>
              </label>
            );
          })}
        </div>
      )}
      {q.type === 'matrix' && (
        <div className="s-matrix">
          {(q.rows ?? []).map((r) => {
            const cur = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
            return (
              <div key={r.id} className="s-mrow">
                <div className="s-mlabel">{r.label}</div>
                <div className="s-chips">
                  {options.map((o) => (
                    <button type="button" key={o.value} className={cur[r.id] === o.value ? 's-chip on' : 's-chip'} aria-pressed={cur[r.id] === o.value} onClick={() => onChange({ ...cur, [r.id]: o.value })}>
                      {o.label}
                    </button>
                  ))}
                </div>
              </div>
            );
          })}
        </div>
      )}
      {q.type === 'number' && (
        <input
          className="s-input"
          inputMode="decimal"
          value={typeof value === 'number' ? String(value) : ''}
          onInput={(e) => {
            const t = e.currentTarget.value.trim();
            onChange(t === '' || Number.isNaN(Number(t)) ? undefined : Number(t));
          }}
          placeholder={q.min !== undefined || q.max !== undefined ? `${q.min ?? ''}–${q.max ?? ''}` : '请填写数字'}
        />
      )}
      {q.type === 'text' && <input className="s-input" value={typeof value === 'string' ? value : ''} maxLength={q.maxLength ?? 100} onInput={(e) => onChange(e.currentTarget.value || undefined)} />}
      {q.type === 'textarea' && <textarea className="s-input" rows={4} value={typeof value === 'string' ? value : ''} maxLength={q.maxLength ?? 2000} onInput={(e) => onChange(e.currentTarget.value || undefined)} />}
      {error && <div className="s-err">{error}</div>}
    </div>
  );
}

/**
 * The admin editor's phone-frame preview (/s/preview in an iframe): the same renderer, fed the
 * draft model by postMessage from the same origin; nothing is sent.
 */
export function PreviewPage() {
  const [model, setModel] = useState<PublicRound['model'] | null>(null);
  const [sent, setSent] = useState(false);
  useEffect(() => {
    const on = (e: MessageEvent) => {
      if (e.origin !== location.origin || !e.data || e.data.type !== 'cw-survey-preview') return;
      setModel(e.data.model as PublicRound['model']);
      setSent(false);
    };
    window.addEventListener('message', on);
    window.parent?.postMessage({ type: 'cw-survey-preview-ready' }, location.origin);
    return () => window.removeEventListener('message', on);
  }, []);
  if (!model) return <div className="s-loading">等待预览内容…</div>;
  if (sent) return <div className="s-card s-msg s-ok">（预览）{model.thanks}</div>;
  const round: PublicRound = {
    id: '00000000-0000-0000-0000-000000000000',
    slug: 'preview',
    name: '预览',
    status: 'open',
    open: true,
    message: null,
    model,
    needs: { token: false, phone: false, idNumber: false, device: false },
    choices: { areas: [], ageBands: [], identities: [] },
  };
  return <SurveyForm key={JSON.stringify(model).length} round={round} submitLabel="提交（预览，不保存）" onSubmit={async () => setSent(true)} />;
}
