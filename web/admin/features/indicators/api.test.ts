import { describe, expect, it } from 'vitest';
import type { IndicatorSystem } from '../../../../contracts/indicators.ts';
import { defaultSystem } from './api.ts';

const sys = (id: string, over: Partial<IndicatorSystem>): IndicatorSystem => ({
  id,
  name: id,
  kind: 'main',
  year: 2026,
  edition: 1,
  status: 'active',
  totalScore: null,
  scoreSum: 0,
  description: '',
  copiedFromId: null,
  copiedFromName: null,
  counts: { items: 0, contents: 0, standards: 0, tasks: 0 },
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

describe('defaultSystem', () => {
  it('opens the latest active main system', () => {
    const list = [sys('minors', { kind: 'minors', year: 2027 }), sys('old', { year: 2025 }), sys('draft', { year: 2027, status: 'draft' }), sys('main', { year: 2026, edition: 2 }), sys('main1', { year: 2026 })];
    expect(defaultSystem(list)?.id).toBe('main');
  });
  it('falls back to any active system, then to the newest one', () => {
    expect(defaultSystem([sys('a', { kind: 'minors', year: 2025 }), sys('b', { status: 'draft', year: 2027 })])?.id).toBe('a');
    expect(defaultSystem([sys('a', { status: 'archived', year: 2025 }), sys('b', { status: 'draft', year: 2027 })])?.id).toBe('b');
    expect(defaultSystem([])).toBeUndefined();
    expect(defaultSystem(undefined)).toBeUndefined();
  });
});
