import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type StoredNotification, WebhookChannel } from '../notifications/notifications.channels.ts';
import { shanghaiText } from './issues.notify.ts';
import { distanceM } from './issues.service.ts';

describe('pure helpers of the issues module', () => {
  it('measures great-circle distances in metres', () => {
    expect(distanceM(113.66, 34.75, 113.66, 34.75)).toBe(0);
    // 0.001° of latitude ≈ 111 m anywhere; of longitude ≈ 111 m × cos(lat)
    expect(distanceM(113.66, 34.75, 113.66, 34.751)).toBeCloseTo(111.2, 0);
    expect(distanceM(113.66, 34.75, 113.661, 34.75)).toBeCloseTo(111.2 * Math.cos((34.75 * Math.PI) / 180), 0);
    expect(distanceM(113.66, 34.75, 113.67, 34.76)).toBeCloseTo(distanceM(113.67, 34.76, 113.66, 34.75), 6);
  });

  it('writes instants in Shanghai time the way people read them', () => {
    expect(shanghaiText('2026-11-24T15:59:59.000Z')).toBe('2026年11月24日 23:59');
    expect(shanghaiText(new Date('2026-12-31T16:05:00Z'))).toBe('2027年1月1日 00:05');
  });

  it('a webhook channel reports what the receiver accepted', async () => {
    const bodies: string[] = [];
    let status = 204;
    const server = http.createServer((req, res) => {
      let b = '';
      req.on('data', (c) => {
        b += c;
      });
      req.on('end', () => {
        bodies.push(b);
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const item: StoredNotification = { id: 'n1', userId: 'u1', kind: 'issue_overdue', title: '已超期 WT1', body: '正文', link: '/issues/x', issueId: 'x', createdAt: '2026-11-21T00:00:00.000Z' };
    try {
      expect(await new WebhookChannel(url).deliver([item])).toEqual(['n1']);
      expect(JSON.parse(bodies[0])).toEqual({ notifications: [{ id: 'n1', userId: 'u1', kind: 'issue_overdue', title: '已超期 WT1', body: '正文', link: '/issues/x', issueId: 'x', createdAt: '2026-11-21T00:00:00.000Z' }] });
      status = 503;
      expect(await new WebhookChannel(url).deliver([item])).toEqual([]);
      expect(await new WebhookChannel(url).deliver([])).toEqual([]);
    } finally {
      server.close();
    }
    // nobody listening: nothing delivered, no exception
    expect(await new WebhookChannel(url, 500).deliver([item])).toEqual([]);
  });
});
