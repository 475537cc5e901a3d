import type { Deps } from '../../deps.ts';
import { publicQuiz } from './quizzes.service.ts';
import { publicRound } from './surveys.service.ts';

/**
 * The data a public page under /s/ needs at first paint, embedded in its HTML by the web server
 * (app.ts): the survey for /s/<slug>, the quiz for /s/q/<slug>. Null when the path names nothing (the page then fetches
 * and shows the error itself).
 */
export async function publicPageData(deps: Pick<Deps, 'db'>, pathname: string): Promise<unknown> {
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] !== 's') return null;
  if (parts[1] === 'q') return parts[2] && /^[a-z0-9x]{4,16}$/.test(parts[2]) ? { kind: 'quiz', quiz: await publicQuiz(deps, parts[2]) } : null;
  if (parts[1] && /^[a-z0-9x]{4,16}$/.test(parts[1])) return { kind: 'survey', round: await publicRound(deps, parts[1]) };
  return null;
}
