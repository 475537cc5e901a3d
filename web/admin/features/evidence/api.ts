/**
 * The 材料审核 endpoints the admin and phone pages use (server/modules/indicators/evidence), in one
 * place; types from contracts/evidence.ts.
 */
import { useQuery } from '@tanstack/react-query';
import type { Paged } from '../../../../contracts/common.ts';
import type { EvidenceDetail, EvidenceItem, EvidenceRequirement, EvidenceSystem, Matrix } from '../../../../contracts/evidence.ts';
import { get, qs } from '../../../shared/api.ts';

type Params = Record<string, string | number | boolean | undefined | null>;

export const EV = {
  systems: '/api/evidence/systems',
  requirements: (p: Params = {}) => `/api/evidence/requirements${qs(p)}`,
  requirement: (id: string) => `/api/evidence/requirements/${id}`,
  generate: '/api/evidence/requirements/generate',
  items: (p: Params = {}) => `/api/evidence/items${qs(p)}`,
  item: (id: string) => `/api/evidence/items/${id}`,
  submit: (id: string) => `/api/evidence/items/${id}/submit`,
  review: (id: string) => `/api/evidence/items/${id}/review`,
  queue: (p: Params = {}) => `/api/evidence/review-queue${qs(p)}`,
  matrix: (p: Params) => `/api/evidence/matrix${qs(p)}`,
  matrixExport: (p: Params) => `/api/evidence/matrix/export${qs(p)}`,
  archive: (p: Params) => `/api/evidence/archive${qs(p)}`,
};

export function useEvidenceSystems() {
  return useQuery({ queryKey: ['evidence', 'systems'], queryFn: () => get<EvidenceSystem[]>(EV.systems) });
}

/** The system shown first: the one with the most requirements, else the first. */
export function defaultEvidenceSystem(list: readonly EvidenceSystem[] | undefined): EvidenceSystem | undefined {
  if (!list?.length) return undefined;
  return [...list].sort((a, b) => b.requirementCount - a.requirementCount || b.year - a.year)[0];
}

export function useItems(p: Params, enabled = true) {
  return useQuery({ queryKey: ['evidence', 'items', p], queryFn: () => get<Paged<EvidenceItem>>(EV.items(p)), enabled });
}

export function useItem(id: string | undefined | null) {
  return useQuery({ queryKey: ['evidence', 'item', id], queryFn: () => get<EvidenceDetail>(EV.item(id as string)), enabled: !!id });
}

export function useQueue(p: Params) {
  return useQuery({ queryKey: ['evidence', 'queue', p], queryFn: () => get<Paged<EvidenceItem>>(EV.queue(p)) });
}

export function useMatrix(p: Params, enabled: boolean) {
  return useQuery({ queryKey: ['evidence', 'matrix', p], queryFn: () => get<Matrix>(EV.matrix(p)), enabled });
}

export function useRequirements(p: Params, enabled = true) {
  return useQuery({ queryKey: ['evidence', 'requirements', p], queryFn: () => get<Paged<EvidenceRequirement>>(EV.requirements(p)), enabled });
}
