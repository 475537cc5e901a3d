/**
 * The XML form of GeoReport v2 answers: one element per field, arrays as repeated child
 * elements, null as an empty element. Written by hand: the shapes are flat and few.
 */
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

// biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters; they are dropped
const stripInvalid = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [k: string]: XmlValue };

/** Child element names of arrays that are not a list of records. */
const ITEM_NAMES: Record<string, string> = { endpoints: 'endpoint', formats: 'format', attributes: 'attribute', values: 'value' };

function element(name: string, value: XmlValue, indent: string): string {
  if (value === null || value === undefined) return `${indent}<${name}/>\n`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name] ?? 'item';
    return `${indent}<${name}>\n${value.map((v) => element(item, v, `${indent}  `)).join('')}${indent}</${name}>\n`;
  }
  if (typeof value === 'object') {
    return `${indent}<${name}>\n${Object.entries(value)
      .map(([k, v]) => element(k, v, `${indent}  `))
      .join('')}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${escapeXml(stripInvalid(String(value)))}</${name}>\n`;
}

/** A document whose root holds one `item` element per record: toXml('service_requests', 'request', rows). */
export function listToXml(root: string, item: string, rows: Record<string, XmlValue>[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>\n${rows.map((r) => element(item, r, '  ')).join('')}</${root}>\n`;
}

/** A document of one record under `root`. */
export function objectToXml(root: string, value: Record<string, XmlValue>): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, '')}`;
}
