import { describe, expect, it } from 'vitest';
import type { Me } from '../../../../contracts/auth.ts';
import { commonTitles, countdown, defaultSource, distanceM, formatDistance, insidePolygon } from './issueRules.ts';

const me = (...roles: string[]): Me => ({
  user: { id: 'u', username: 'u', name: '用户', phoneMasked: null, mustChangePassword: false },
  unit: { id: 'x', name: '单位', kind: 'department', path: [] },
  roles: roles.map((code) => ({ code, name: code })),
  permissions: [],
  csrfToken: 't',
  isDemo: false,
});

describe('phone issue rules', () => {
  it('defaults the source by role, the grid worker first', () => {
    expect(defaultSource(me('grid_worker'))).toBe('grid');
    expect(defaultSource(me('inspector'))).toBe('inspection');
    expect(defaultSource(me('supervisor'))).toBe('supervisor');
    expect(defaultSource(me('unit_contact'))).toBe('self_check');
    expect(defaultSource(me('unit_contact', 'grid_worker'))).toBe('grid');
    expect(defaultSource(me())).toBe('inspection');
  });

  it('offers the sub-category name first, then its common titles, without repeats', () => {
    expect(commonTitles('路灯不亮')).toEqual(['路灯不亮', '路灯杆倾斜']);
    expect(commonTitles('暴露垃圾')[0]).toBe('暴露垃圾');
    expect(commonTitles('暴露垃圾')).toContain('路边暴露垃圾');
    expect(commonTitles('没有常用标题的分类')).toEqual(['没有常用标题的分类']);
  });

  it('counts down to the deadline, warns in the last day, and counts overdue time', () => {
    const now = Date.parse('2026-11-21T00:00:00Z');
    const at = (ms: number) => new Date(now + ms).toISOString();
    const H = 3_600_000;
    expect(countdown(at(2 * 24 * H + 3 * H), 'rectifying', now)).toEqual({ text: '剩余 2天3小时', tone: 'ok' });
    expect(countdown(at(5 * H), 'dispatched', now)).toEqual({ text: '剩余 5小时', tone: 'soon' });
    expect(countdown(at(20 * 60_000), 'dispatched', now)).toEqual({ text: '剩余 20分钟', tone: 'soon' });
    expect(countdown(at(-(24 * H + 2 * H)), 'rectifying', now)).toEqual({ text: '已超期 1天2小时', tone: 'over' });
    // finished or waiting for closure: no clock
    for (const s of ['closed', 'rejected', 'merged', 'verified'] as const) expect(countdown(at(-H), s, now)).toBeNull();
    expect(countdown(null, 'reported', now)).toBeNull();
  });

  it('measures distances on the sphere and writes them in 米 or 公里', () => {
    // one minute of latitude is about 1852 m
    expect(distanceM({ lng: 113.6, lat: 34.75 }, { lng: 113.6, lat: 34.75 + 1 / 60 })).toBeCloseTo(1853, -1);
    // a degree of longitude shrinks with cos(latitude)
    const east = distanceM({ lng: 113.6, lat: 60 }, { lng: 114.6, lat: 60 });
    expect(east / distanceM({ lng: 113.6, lat: 0 }, { lng: 114.6, lat: 0 })).toBeCloseTo(0.5, 2);
    expect(formatDistance(0)).toBe('0 米');
    expect(formatDistance(999.4)).toBe('999 米');
    expect(formatDistance(1500)).toBe('1.5 公里');
  });

  it('tells inside from outside a polygon with a hole', () => {
    const outer = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0, 0],
    ];
    const hole = [
      [4, 4],
      [6, 4],
      [6, 6],
      [4, 6],
      [4, 4],
    ];
    expect(insidePolygon({ lng: 1, lat: 1 }, [outer])).toBe(true);
    expect(insidePolygon({ lng: 11, lat: 1 }, [outer])).toBe(false);
    expect(insidePolygon({ lng: 5, lat: 5 }, [outer, hole])).toBe(false);
    expect(insidePolygon({ lng: 3, lat: 5 }, [outer, hole])).toBe(true);
  });
});
