/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import type { AttemptPaper, AttemptResult, PublicQuiz } from '../../contracts/surveys.ts';
import { api, embedded } from './api.ts';

const TYPE_LABEL = { single: '单选', multiple: '多选', truefalse: '判断' } as const;

/** 应知应会: identify (name + unit, or phone), answer against the clock, see the score and every explanation. */
export default function QuizPage({ slug }: { slug: string }) {
  const [quiz, setQuiz] = useState<PublicQuiz | null>(() => embedded<{ quiz: PublicQuiz }>('quiz')?.quiz ?? null);
  const [error, setError] = useState<string | null>(null);
  const [paper, setPaper] = useState<AttemptPaper | null>(null);
  const [result, setResult] = useState<AttemptResult | null>(null);
  const [who, setWho] = useState({ name: '', unitId: '', phone: '' });
  const [answers, setAnswers] = useState<Record<string, string[]>>({});
  const [left, setLeft] = useState(0);
  const [busy, setBusy] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: once per slug, unless the server embedded it
  useEffect(() => {
    if (!quiz) api<PublicQuiz>('GET', `/api/public/quizzes/${slug}`).then(setQuiz, (e: Error) => setError(e.message));
  }, [slug]);
  useEffect(() => {
    if (!paper || result) return;
    const tick = () => setLeft(Math.max(0, Math.round((Date.parse(paper.deadline) - Date.now()) / 1000)));
    tick();
    const t = setInterval(tick, 1000);
    return () => clearInterval(t);
  }, [paper, result]);

  if (!quiz) return <div className={error ? 's-card s-msg' : 's-loading'}>{error ?? '正在加载…'}</div>;

  const start = async () => {
    setError(null);
    if (who.name.trim().length < 2) return setError('请填写姓名');
    if (!who.unitId) return setError('请选择单位');
    if (quiz.identify === 'phone' && !/^1\d{10}$/.test(who.phone)) return setError('请填写 11 位手机号');
    setBusy(true);
    try {
      setPaper(await api<AttemptPaper>('POST', `/api/public/quizzes/${slug}/attempts`, { name: who.name.trim(), unitId: who.unitId, phone: quiz.identify === 'phone' ? who.phone : undefined }));
      setAnswers({});
      setResult(null);
      window.scrollTo(0, 0);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    if (!paper) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await api<AttemptResult>('POST', `/api/public/quizzes/attempts/${paper.attemptId}/submit`, { answers }));
      window.scrollTo(0, 0);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="s-page">
      <header className="s-head">
        <h1>{quiz.name}</h1>
        <p>
          共 {quiz.questionCount} 题，满分 {quiz.maxScore} 分，{quiz.passPercent}% 及格，限时 {quiz.timeLimitMin} 分钟
          {quiz.maxAttempts ? `，每人最多 ${quiz.maxAttempts} 次（${quiz.attemptsPolicy === 'best' ? '取最高分' : quiz.attemptsPolicy === 'last' ? '取最后一次' : '取第一次'}）` : ''}
        </p>
      </header>
      {!quiz.open && <div className="s-card s-msg">{quiz.message}</div>}
      {quiz.open && !paper && (
        <div className="s-card">
          <div className="s-field">
            <div className="s-q-title">姓名</div>
            <input className="s-input" value={who.name} maxLength={20} onInput={(e) => setWho({ ...who, name: e.currentTarget.value })} />
          </div>
          <div className="s-field">
            <div className="s-q-title">单位</div>
            <select className="s-input" value={who.unitId} onChange={(e) => setWho({ ...who, unitId: e.currentTarget.value })}>
              <option value="">请选择</option>
              {quiz.units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          {quiz.identify === 'phone' && (
            <div className="s-field">
              <div className="s-q-title">手机号</div>
              <input className="s-input" inputMode="numeric" maxLength={11} value={who.phone} onInput={(e) => setWho({ ...who, phone: e.currentTarget.value.replace(/\D/g, '') })} />
            </div>
          )}
          {error && <div className="s-err">{error}</div>}
          <button type="button" className="s-submit" style={{ width: '100%', margin: '8px 0 0' }} disabled={busy} onClick={() => void start()}>
            开始答题
          </button>
        </div>
      )}
      {paper && !result && (
        <>
          <div className="s-timer" data-testid="quiz-timer">
            第 {paper.attemptNo} 次答题 · 剩余 {Math.floor(left / 60)}:{String(left % 60).padStart(2, '0')}
          </div>
          {paper.questions.map((q, i) => {
            const cur = answers[q.id] ?? [];
            return (
              <div key={q.id} className="s-card s-q" data-question={q.id}>
                <div className="s-q-title">
                  <span className="s-num">{i + 1}.</span> {q.stem} <span className="s-hint">（{TYPE_LABEL[q.type]}）</span>
                </div>
                <div className="s-opts">
                  {q.options.map((o) => {
                    const on = cur.includes(o.value);
                    return (
                      <label key={o.value} className={on ? 's-opt on' : 's-opt'}>
                        <input
                          type={q.type === 'multiple' ? 'checkbox' : 'radio'}
                          name={q.id}
                          checked={on}
                          onChange={() => setAnswers({ ...answers, [q.id]: q.type === 'multiple' ? (on ? cur.filter((x) => x !== o.value) : [...cur, o.value]) : [o.value] })}
                        />
                        <span>
                          {q.type === 'truefalse' ? '' : `${o.value}. `}
                          {o.label}
                        </span>
                      </label>
                    );
                  })}
                </div>
              </div>
            );
          })}
          {error && <div className="s-card s-err">{error}</div>}
          <button type="button" className="s-submit" disabled={busy} onClick={() => void submit()}>
            交卷（已答 {Object.values(answers).filter((a) => a.length).length}/{paper.questions.length}）
          </button>
        </>
      )}
      {result && (
        <>
          <div className="s-card" data-testid="quiz-result">
            <div className="s-score">
              {result.score}
              <span style={{ fontSize: 18, color: '#888' }}> / {result.maxScore} 分</span>
            </div>
            <p style={{ textAlign: 'center', margin: 0 }} className={result.passed ? 's-correct' : 's-wrong'}>
              {result.passed ? '恭喜，测试合格' : '未达到合格线，请学习解析后再试'}
            </p>
          </div>
          {result.items.map((it, i) => {
            const right = it.earned === it.points;
            const label = (vs: string[]) => vs.map((v) => it.options.find((o) => o.value === v)?.label ?? v).join('、') || '未作答';
            return (
              <div key={it.id} className="s-card">
                <div className="s-q-title">
                  <span className="s-num">{i + 1}.</span> {it.stem}
                </div>
                <div className={right ? 's-correct' : 's-wrong'}>
                  {right ? '✓ 回答正确' : `✗ 您的答案：${label(it.chosen)}`}（{it.earned}/{it.points} 分）
                </div>
                {!right && <div>正确答案：{label(it.answer)}</div>}
                {it.explanation && <p className="s-note">解析：{it.explanation}</p>}
                {it.source && <p className="s-note">出处：{it.source}</p>}
              </div>
            );
          })}
          <button type="button" className="s-submit" onClick={() => setPaper(null)}>
            返回
          </button>
        </>
      )}
    </div>
  );
}
