import { FormOutlined } from '@ant-design/icons';
import type { Loader, Section } from '../../page.ts';

/** The 问卷调查 section of the admin menu: questionnaires, rounds and results, 应知应会. */
export const surveysSection = (page: Loader): Section => ({
  key: 'surveys',
  label: '问卷调查',
  icon: <FormOutlined />,
  pages: [
    { path: '/surveys/rounds', label: '调查轮次与结果', permission: 'surveys.read', Component: page(() => import('./RoundsPage.tsx'), 'RoundsPage') },
    { path: '/surveys/rounds/:id', label: '调查结果', permission: 'surveys.read', hidden: true, Component: page(() => import('./RoundPage.tsx'), 'RoundPage') },
    { path: '/surveys/questionnaires', label: '问卷', permission: 'surveys.read', Component: page(() => import('./QuestionnairesPage.tsx'), 'QuestionnairesPage') },
    { path: '/surveys/questionnaires/:id', label: '问卷编辑', permission: 'surveys.read', hidden: true, Component: page(() => import('./EditorPage.tsx'), 'EditorPage') },
    { path: '/surveys/quizzes', label: '应知应会测试', permission: 'quizzes.read', Component: page(() => import('./QuizzesPage.tsx'), 'QuizzesPage') },
    { path: '/surveys/quizzes/:id', label: '测试排行', permission: 'quizzes.read', hidden: true, Component: page(() => import('./QuizBoardPage.tsx'), 'QuizBoardPage') },
    { path: '/surveys/bank', label: '应知应会题库', permission: 'quizzes.read', Component: page(() => import('./BankPage.tsx'), 'BankPage') },
  ],
});
