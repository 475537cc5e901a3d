import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseTrustProxy } from './config.ts';

const env = (extra: Record<string, string>) => ({ CHUANGWEN_SECRET_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=', CHUANGWEN_DATA_DIR: '/tmp/cw-config-test', ...extra });

describe('TRUST_PROXY', () => {
  it('is off by default and accepts a hop count or a list of proxy addresses and CIDRs', () => {
    expect(loadConfig(env({})).trustProxy).toBe(false);
    expect(loadConfig(env({ TRUST_PROXY: 'false' })).trustProxy).toBe(false);
    expect(loadConfig(env({ TRUST_PROXY: '1' })).trustProxy).toBe(1);
    expect(loadConfig(env({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.5,fd00::/8,loopback' })).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.5', 'fd00::/8', 'loopback']);
  });

  it('refuses true (the client would choose its own IP) and anything that is not an address, with a Chinese message naming the variable', () => {
    expect(() => loadConfig(env({ TRUST_PROXY: 'true' }))).toThrow(ConfigError);
    expect(() => loadConfig(env({ TRUST_PROXY: 'true' }))).toThrow(/TRUST_PROXY: 不再接受 true/);
    expect(parseTrustProxy('10.0.0.0/33')).toMatch(/不是 IP 地址或网段/);
    expect(parseTrustProxy('proxy.example.com')).toMatch(/「proxy\.example\.com」不是 IP 地址或网段/);
    expect(parseTrustProxy('11')).toBe('代理层数须为 1–10 的整数');
  });
});

describe('METRICS_*', () => {
  it('keeps /metrics closed unless configured', () => {
    expect(loadConfig(env({})).metrics).toEqual({ public: false, token: undefined });
    expect(loadConfig(env({ METRICS_PUBLIC: 'true' })).metrics.public).toBe(true);
    expect(() => loadConfig(env({ METRICS_TOKEN: 'short' }))).toThrow(/METRICS_TOKEN: 至少 16 个字符/);
  });
});
