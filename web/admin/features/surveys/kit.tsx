import { useEffect, useRef } from 'react';
import { AnswerCodes } from '../../../../contracts/surveys.ts';

export const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`);
export const codeLabel = (c: string) => (c === 'UNANSWERED' ? '未作答' : (AnswerCodes[c as keyof typeof AnswerCodes] ?? c));
export const exclusionsText = (e: Record<string, number>) =>
  Object.entries(e)
    .map(([k, v]) => `${codeLabel(k)} ${v}`)
    .join('，') || '无';

/** An ECharts chart, loaded on first use (the project's rule for every chart: echarts, lazily). */
// biome-ignore lint/suspicious/noExplicitAny: ECharts options are a large untyped-by-design object
export function Chart({ option, height = 280, testId }: { option: Record<string, any>; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { setOption(o: unknown): void; dispose(): void; resize(): void } | null = null;
    const onResize = () => chart?.resize();
    void import('echarts').then((echarts) => {
      if (disposed || !ref.current) return;
      chart = echarts.init(ref.current);
      chart.setOption(option);
      window.addEventListener('resize', onResize);
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, [option]);
  return <div ref={ref} style={{ height, width: '100%' }} data-testid={testId} />;
}
