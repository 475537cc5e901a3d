/** @jsxImportSource preact */
import { render } from 'preact';
import { lazy, Suspense } from 'preact/compat';
import { PreviewPage, SurveyPage } from './SurveyPage.tsx';
import './s.css';

const QuizPage = lazy(() => import('./QuizPage.tsx'));

// The public pages: /s/<slug> answers a survey, /s/q/<slug> takes a quiz (its own lazy chunk). Preact (same hooks as React, a tenth of the size),
// no antd, no zod, no router: the first load is a few KB of gzipped JavaScript, so that a phone on
// 4G shows the first question well within a second.

function App() {
  const parts = location.pathname.split('/').filter(Boolean);
  if (parts[1] === 'q' && parts[2]) {
    return (
      <Suspense fallback={<div className="s-loading">正在加载…</div>}>
        <QuizPage slug={parts[2]} />
      </Suspense>
    );
  }
  if (parts[1] === 'preview') return <PreviewPage />;
  if (parts[1]) return <SurveyPage slug={parts[1]} />;
  return <div className="s-card s-msg">链接不完整，请扫描海报上的二维码或重新打开问卷链接。</div>;
}

const root = document.getElementById('root')!;
root.textContent = '';
render(<App />, root);
