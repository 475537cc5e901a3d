/**
 * The 测评任务 endpoints the admin and phone pages use (server/modules/indicators), in one place;
 * types from contracts/indicators.ts.
 */
import { useQuery } from '@tanstack/react-query';
import type { Paged } from '../../../../contracts/common.ts';
import type { IndicatorSystem, IndicatorTree, ListTasksQuery, ResponsibilityLetter, Rollup, RollupBy, Task, TaskDetail } from '../../../../contracts/indicators.ts';
import { get, qs } from '../../../shared/api.ts';

export const URL = {
  systems: '/api/indicator-systems',
  system: (id: string) => `/api/indicator-systems/${id}`,
  copy: (id: string) => `/api/indicator-systems/${id}/copy`,
  tree: (id: string, q?: string) => `/api/indicator-systems/${id}/tree${qs({ q })}`,
  nodes: (systemId: string) => `/api/indicator-systems/${systemId}/nodes`,
  node: (id: string) => `/api/indicator-nodes/${id}`,
  nodeHistory: (id: string) => `/api/indicator-nodes/${id}/history`,
  systemExport: (id: string) => `/api/indicator-systems/${id}/export.xlsx`,
  systemImport: (id: string, step: 'preview' | 'commit') => `/api/indicator-systems/${id}/import/${step}`,
  taskImport: (id: string, step: 'preview' | 'commit', params: Record<string, string | boolean | undefined>) => `/api/indicator-systems/${id}/task-import/${step}${qs(params)}`,
  tasks: '/api/tasks',
  tasksExport: (systemId: string) => `/api/indicator-systems/${systemId}/tasks/export.xlsx`,
  task: (id: string) => `/api/tasks/${id}`,
  progress: (id: string) => `/api/tasks/${id}/progress`,
  rollup: (params: Record<string, string | undefined>) => `/api/tasks/rollup${qs(params)}`,
  letters: (systemId: string) => `/api/indicator-systems/${systemId}/responsibility-letters`,
  letterDocx: (systemId: string, unitId: string) => `/api/indicator-systems/${systemId}/units/${unitId}/responsibility-letter.docx`,
  letterSign: (systemId: string, unitId: string) => `/api/indicator-systems/${systemId}/units/${unitId}/responsibility-letter/signed`,
};

export function useSystems() {
  return useQuery({ queryKey: ['indicators', 'systems'], queryFn: () => get<IndicatorSystem[]>(URL.systems) });
}

/** The system shown first: an active main system of the latest year, else the first one. */
export function defaultSystem(list: readonly IndicatorSystem[] | undefined): IndicatorSystem | undefined {
  if (!list?.length) return undefined;
  const sorted = [...list].sort((a, b) => b.year - a.year || b.edition - a.edition);
  return sorted.find((s) => s.kind === 'main' && s.status === 'active') ?? sorted.find((s) => s.status === 'active') ?? sorted[0];
}

export function useTree(systemId: string | undefined, q?: string) {
  return useQuery({ queryKey: ['indicators', 'tree', systemId, q ?? ''], queryFn: () => get<IndicatorTree>(URL.tree(systemId as string, q)), enabled: !!systemId });
}

export type TaskFilters = Partial<Omit<ListTasksQuery, 'stalledDays'>>;

export function useTasks(filters: TaskFilters, enabled = true) {
  return useQuery({
    queryKey: ['indicators', 'tasks', filters],
    queryFn: () => get<Paged<Task>>(`${URL.tasks}${qs(filters as Record<string, string | number | boolean | undefined>)}`),
    enabled,
  });
}

export function useTask(id: string | undefined) {
  return useQuery({ queryKey: ['indicators', 'task', id], queryFn: () => get<TaskDetail>(URL.task(id as string)), enabled: !!id });
}

export function useRollup(systemId: string | undefined, by: RollupBy, unitId?: string) {
  return useQuery({ queryKey: ['indicators', 'rollup', systemId, by, unitId], queryFn: () => get<Rollup>(URL.rollup({ systemId, by, unitId })), enabled: !!systemId });
}

export function useLetters(systemId: string | undefined, enabled = true) {
  return useQuery({ queryKey: ['indicators', 'letters', systemId], queryFn: () => get<ResponsibilityLetter[]>(URL.letters(systemId as string)), enabled: !!systemId && enabled });
}
