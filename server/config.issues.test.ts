import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const key = { CHUANGWEN_SECRET_KEY: `${'a'.repeat(43)}=` };

describe('configuration of the issues module', () => {
  it('has documented defaults', () => {
    const c = loadConfig({ ...key });
    expect(c.issues).toEqual({ duplicateRadiusM: 100, dueSoonHours: 24, cityBounds: null, reminderIntervalMinutes: 30 });
    expect(c.notifyWebhookUrl).toBeUndefined();
  });

  it('reads CITY_BOUNDS, the radius, the window, the interval and the webhook', () => {
    const c = loadConfig({ ...key, CITY_BOUNDS: '113.2,34.4,114.2,35.1', ISSUE_DUPLICATE_RADIUS_M: '50', ISSUE_DUE_SOON_HOURS: '48', REMINDER_INTERVAL_MINUTES: '0', NOTIFY_WEBHOOK_URL: 'https://hook.example/x' });
    expect(c.issues).toEqual({ duplicateRadiusM: 50, dueSoonHours: 48, cityBounds: [113.2, 34.4, 114.2, 35.1], reminderIntervalMinutes: 0 });
    expect(c.notifyWebhookUrl).toBe('https://hook.example/x');
  });

  it('names each bad variable in Chinese', () => {
    expect(() => loadConfig({ ...key, CITY_BOUNDS: '114.2,34.4,113.2,35.1' })).toThrow(/CITY_BOUNDS: 最小经纬度须小于最大经纬度/);
    try {
      loadConfig({ ...key, CITY_BOUNDS: 'abc', REMINDER_INTERVAL_MINUTES: '-1', ISSUE_DUPLICATE_RADIUS_M: '0', NOTIFY_WEBHOOK_URL: 'not a url' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const lines = (e as Error).message.split('\n').slice(1);
      expect(lines).toEqual([
        '  ISSUE_DUPLICATE_RADIUS_M: 须为 1–5000 的整数（米）',
        '  CITY_BOUNDS: 格式为 最小经度,最小纬度,最大经度,最大纬度（如 113.2,34.4,114.2,35.1）',
        '  NOTIFY_WEBHOOK_URL: 须为 http(s) 地址',
        '  REMINDER_INTERVAL_MINUTES: 须为 0（关闭）或正整数（分钟）',
      ]);
    }
  });
});
