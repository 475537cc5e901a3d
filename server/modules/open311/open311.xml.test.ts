import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { listToXml, objectToXml } from './open311.xml.ts';

const parse = (xml: string) => new XMLParser({ parseTagValue: false, isArray: (n) => n === 'request' || n === 'format' }).parse(xml);

describe('Open311 XML', () => {
  it('writes one element per field, null as an empty element, and escapes text', () => {
    const xml = listToXml('service_requests', 'request', [
      { service_request_id: 'WT1', description: 'a < b & "c" \'d\' > e', lat: 34.5, media_url: null },
      { service_request_id: 'WT2', description: '控制符\u0001已去掉', lat: null, media_url: 'http://x/y?a=1&b=2' },
    ]);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<service_requests>')).toBe(true);
    expect(xml).toContain('<media_url/>');
    expect(xml).not.toContain('\u0001');
    const r = parse(xml).service_requests.request;
    expect(r[0]).toEqual({ service_request_id: 'WT1', description: 'a < b & "c" \'d\' > e', lat: '34.5', media_url: '' });
    expect(r[1]).toEqual({ service_request_id: 'WT2', description: '控制符已去掉', lat: '', media_url: 'http://x/y?a=1&b=2' });
  });

  it('writes nested records and named list items', () => {
    const xml = objectToXml('discovery', { contact: '市创文办', endpoints: [{ url: 'http://h/open311/v2', formats: ['application/json', 'text/xml'] }] });
    const d = parse(xml).discovery;
    expect(d.contact).toBe('市创文办');
    expect(d.endpoints.endpoint.formats.format).toEqual(['application/json', 'text/xml']);
    expect(parse(listToXml('services', 'service', []))).toMatchObject({ services: '' });
  });
});
