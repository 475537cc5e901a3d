import type { Actor } from '../../http/actor.ts';
import { forbidden } from '../../http/errors.ts';
import { requireCityLevel, requirePermission } from '../../http/policy.ts';

/**
 * Questionnaires, rounds and the quiz bank are city-wide: only the city office (the root unit)
 * with the manage permission changes them. Results are aggregates without personal data, readable
 * by holders of `surveys.read`; surveyors collect with `surveys.collect`.
 */
export const surveysPolicy = {
  manage(actor: Actor): void {
    requireCityLevel(actor, 'surveys.manage', '问卷与调查轮次由市创文办统一管理');
  },
  read(actor: Actor): void {
    if (!actor.permissions.has('surveys.read') && !actor.permissions.has('surveys.manage')) throw forbidden('无权查看问卷调查');
  },
  collect(actor: Actor): void {
    requirePermission(actor, 'surveys.collect', '无权代填问卷（需要调查员权限）');
  },
  manageQuizzes(actor: Actor): void {
    requireCityLevel(actor, 'quizzes.manage', '应知应会题库与测试由市创文办统一管理');
  },
  readQuizzes(actor: Actor): void {
    if (!actor.permissions.has('quizzes.read') && !actor.permissions.has('quizzes.manage')) throw forbidden('无权查看应知应会测试');
  },
};
