import { describe, expect, it } from 'vitest';
import { evidenceFileName, itemFolder, NameRegistry, safeName } from './evidence-archive.ts';
import { applyEvidenceAction, fileActionFrom, possibleActions } from './evidence-flow.ts';
import { cellStatus, completeness, countsOfState, rollUp, tally } from './evidence-matrix.ts';
import { comparePeriodKeys, duePeriods, isIsoDate, periodLabel, periodOf, periodsBetween } from './evidence-periods.ts';

describe('evidence periods', () => {
  it('lists months with Chinese labels, whole months at the edges', () => {
    const ps = periodsBetween('monthly', '2026-01-15', '2026-12-31', '2026-09-20', '2026-11-02');
    expect(ps.map((p) => p.key)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(ps[1]).toEqual({ key: '2026-10', label: '2026年10月', start: '2026-10-01', end: '2026-10-31' });
    expect(periodsBetween('monthly', '2026-01-15', '2026-03-01', '2026-01-01', '2026-12-31').map((p) => p.key)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(periodsBetween('monthly', '2024-01-01', '2024-12-31', '2024-02-01', '2024-02-29')[0].end).toBe('2024-02-29');
  });

  it('lists quarters across a year end', () => {
    const ps = periodsBetween('quarterly', '2026-01-01', '2027-12-31', '2026-08-15', '2027-02-01');
    expect(ps.map((p) => p.key)).toEqual(['2026-Q3', '2026-Q4', '2027-Q1']);
    expect(ps[0]).toEqual({ key: '2026-Q3', label: '2026年第三季度', start: '2026-07-01', end: '2026-09-30' });
    expect(ps[2].label).toBe('2027年第一季度');
  });

  it('gives one-off and per-activity requirements one period over their span', () => {
    expect(periodsBetween('once', '2026-03-01', '2026-06-30', '2026-01-01', '2026-12-31')).toEqual([
      { key: 'once', label: '一次性（2026年3月1日至2026年6月30日）', start: '2026-03-01', end: '2026-06-30' },
    ]);
    expect(periodsBetween('per_activity', '2026-03-01', '2026-06-30', '2026-05-01', '2026-05-31')[0].key).toBe('activity');
    expect(periodsBetween('once', '2026-03-01', '2026-06-30', '2026-07-01', '2026-12-31')).toEqual([]);
  });

  it('is due from the first day of the period', () => {
    expect(duePeriods('monthly', '2026-01-01', '2026-12-31', '2026-03-01').map((p) => p.key)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(duePeriods('quarterly', '2026-01-01', '2026-12-31', '2026-06-30').map((p) => p.key)).toEqual(['2026-Q1', '2026-Q2']);
    expect(duePeriods('monthly', '2026-05-01', '2026-12-31', '2026-04-30')).toEqual([]);
    expect(duePeriods('monthly', '2026-01-01', '2026-02-28', '2026-11-01').length).toBe(2);
  });

  it('refuses bad dates and reversed spans, and caps runaway ranges', () => {
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(() => periodsBetween('monthly', '2026-12-01', '2026-01-01', '2026-01-01', '2026-12-31')).toThrow(RangeError);
    expect(() => periodsBetween('monthly', '2000-01-01', '2099-12-31', '2000-01-01', '2099-12-31')).toThrow(RangeError);
  });

  it('finds the period of a date and labels stored keys', () => {
    expect(periodOf('quarterly', '2026-11-21', '2026-01-01', '2026-12-31').key).toBe('2026-Q4');
    expect(periodOf('monthly', '2026-11-21', '2026-01-01', '2026-12-31').key).toBe('2026-11');
    expect(periodLabel('2026-Q3')).toBe('2026年第三季度');
    expect(periodLabel('2026-10')).toBe('2026年10月');
    expect(periodLabel('once')).toBe('一次性');
    expect(['2026-Q3', '2026-10', 'once', '2026-09', '2026-07', 'activity', '2025-12'].sort(comparePeriodKeys)).toEqual(['once', 'activity', '2025-12', '2026-07', '2026-09', '2026-Q3', '2026-10']);
  });
});

describe('evidence flow', () => {
  it('walks submit → return (reason) → resubmit → approve', () => {
    expect(applyEvidenceAction('draft', 'submit')).toEqual({ ok: true, to: 'submitted' });
    expect(applyEvidenceAction('submitted', 'return', '  ')).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    expect(applyEvidenceAction('submitted', 'return', '照片不清晰')).toEqual({ ok: true, to: 'returned' });
    expect(applyEvidenceAction('returned', 'resubmit')).toEqual({ ok: true, to: 'submitted' });
    expect(applyEvidenceAction('submitted', 'approve')).toEqual({ ok: true, to: 'approved' });
  });

  it('refuses a second review and a review before submission', () => {
    const again = applyEvidenceAction('approved', 'return', '不合格');
    expect(again).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(!again.ok && again.message).toContain('不能重复审核');
    expect(applyEvidenceAction('returned', 'approve')).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(applyEvidenceAction('draft', 'approve')).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(applyEvidenceAction('approved', 'submit')).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(possibleActions('submitted')).toEqual(['approve', 'return']);
    expect(fileActionFrom('returned')).toBe('resubmit');
    expect(fileActionFrom('approved')).toBeNull();
  });
});

describe('completeness matrix rules', () => {
  it('counts a fixture cell by cell; due is the sum of the states', () => {
    const items = [
      { standardId: 's1', unitId: 'u1', periodKey: '2026-10', state: 'approved' as const },
      { standardId: 's1', unitId: 'u1', periodKey: '2026-10', state: 'returned' as const },
      { standardId: 's1', unitId: 'u1', periodKey: '2026-11', state: 'draft' as const },
      { standardId: 's1', unitId: 'u2', periodKey: '2026-10', state: 'submitted' as const },
      { standardId: 's2', unitId: 'u1', periodKey: 'once', state: 'approved' as const },
    ];
    const m = tally(items);
    expect(m.get('s1|u1|2026-10')).toEqual({ due: 2, missing: 0, submitted: 0, approved: 1, returned: 1 });
    expect(m.get('s1|u1|2026-11')).toEqual({ due: 1, missing: 1, submitted: 0, approved: 0, returned: 0 });
    expect(m.size).toBe(4);
    const cells = [...m].map(([k, c]) => ({ standardId: k.split('|')[0], unitId: k.split('|')[1], ...c }));
    expect(rollUp(cells, 'unit').get('u1')).toEqual({ due: 4, missing: 1, submitted: 0, approved: 2, returned: 1 });
    expect(rollUp(cells, 'all').get('')?.due).toBe(5);
  });

  it('colours cells', () => {
    expect(cellStatus({ due: 0, missing: 0, submitted: 0, approved: 0, returned: 0 })).toBe('none');
    expect(cellStatus({ due: 2, missing: 0, submitted: 0, approved: 2, returned: 0 })).toBe('complete');
    expect(cellStatus({ due: 3, missing: 1, submitted: 0, approved: 1, returned: 1 })).toBe('returned');
    expect(cellStatus({ due: 3, missing: 1, submitted: 1, approved: 1, returned: 0 })).toBe('missing');
    expect(cellStatus({ due: 2, missing: 0, submitted: 1, approved: 1, returned: 0 })).toBe('pending');
    expect(completeness(countsOfState('approved'))).toBe(1);
    expect(completeness({ due: 4, missing: 1, submitted: 1, approved: 1, returned: 1 })).toBe(0.25);
  });
});

describe('archive layout', () => {
  it('makes Windows- and GBK-safe names from numbers and titles', () => {
    expect(safeName('a/b:c?*"<>|')).toBe('a_b_c______');
    expect(safeName('  台账.  ')).toBe('台账');
    expect(safeName('CON')).toBe('_CON');
    expect(safeName('')).toBe('未命名');
    expect([...safeName('长'.repeat(200))].length).toBe(80);
    expect(itemFolder('Ⅱ', '公共文明')).toBe('Ⅱ 公共文明');
    expect(evidenceFileName('Ⅱ-1-1)-①', '整治台账', 0, 1, 'scan.PDF')).toBe('Ⅱ-1-1)-① 整治台账.pdf');
    expect(evidenceFileName('Ⅱ-1-1)-①', '整治/台账', 1, 2, 'p.jpg')).toBe('Ⅱ-1-1)-① 整治_台账_2.jpg');
  });

  it('keeps names in one folder unique', () => {
    const r = new NameRegistry();
    expect(r.take('x', 'a.pdf')).toBe('a.pdf');
    expect(r.take('x', 'A.pdf')).toBe('A（2）.pdf');
    expect(r.take('y', 'a.pdf')).toBe('a.pdf');
  });
});
