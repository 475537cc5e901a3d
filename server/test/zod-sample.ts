import { z } from 'zod';

/**
 * A small valid value for a zod schema, for tests that must get past validation to reach a check
 * behind it (the access census: a role without the permission gets 403, not 400). Deterministic:
 * the JSON Schema of the input is walked, the first enum value, the minimum length, a known id.
 * Returns undefined when the sample does not parse (refinements it cannot know about).
 */
export function sampleOf(schema: unknown, ids: { uuid: string } = { uuid: '00000000-0000-4000-8000-000000000001' }): unknown {
  if (!(schema instanceof z.ZodType)) return undefined;
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return undefined;
  }
  const value = sample(json, json, ids.uuid, 0);
  return schema.safeParse(value).success ? value : undefined;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minItems?: number;
  default?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
};

const PATTERN_CANDIDATES = ['0001', '990102001', '13800000001', 'A01', 'abc', 'ABC', 'a1', '2026-01-01', '2026', '2026-01', '08:00', '#1677ff', 'PT01', 'x'];

function sample(s: JsonSchema, root: JsonSchema, uuid: string, depth: number): unknown {
  if (depth > 8) return undefined;
  if (s.$ref) {
    const name = s.$ref.split('/').pop() ?? '';
    const target = s.$ref === '#' ? root : root.$defs?.[name];
    return target ? sample(target, root, uuid, depth + 1) : undefined;
  }
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const alt = s.anyOf ?? s.oneOf;
  if (alt) {
    const nonNull = alt.find((a) => a.type !== 'null') ?? alt[0];
    return sample(nonNull, root, uuid, depth + 1);
  }
  if (s.allOf) return Object.assign({}, ...s.allOf.map((a) => sample(a, root, uuid, depth + 1) as object));
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? s.type[0]) : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) {
        const prop = s.properties?.[key];
        if (prop) out[key] = sample(prop, root, uuid, depth + 1);
      }
      return out;
    }
    case 'array': {
      const n = s.minItems ?? 0;
      if (s.prefixItems) return s.prefixItems.map((p) => sample(p, root, uuid, depth + 1));
      return Array.from({ length: n }, () => (s.items ? sample(s.items, root, uuid, depth + 1) : null));
    }
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : undefined);
      if (min !== undefined) return min;
      if (s.maximum !== undefined && s.maximum < 1) return s.maximum;
      return 1;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'string':
      return stringSample(s, uuid);
    default:
      return undefined;
  }
}

function stringSample(s: JsonSchema, uuid: string): string {
  switch (s.format) {
    case 'uuid':
      return uuid;
    case 'date':
      return '2026-06-01';
    case 'date-time':
      return '2026-06-01T08:00:00+08:00';
    case 'email':
      return 'a@example.com';
    case 'uri':
      return 'https://example.com/';
  }
  if (s.pattern) {
    const re = new RegExp(s.pattern);
    const hit = PATTERN_CANDIDATES.find((c) => re.test(c));
    if (hit) return hit;
  }
  const n = Math.max(1, s.minLength ?? 1);
  return '测'.repeat(Math.min(n, s.maxLength ?? n));
}

/** The same walk over a JSON Schema (e.g. an OpenAPI request body), without the zod check: a value close to valid, for the fuzz test to mutate. */
export function sampleOfJsonSchema(json: unknown, uuid = '00000000-0000-4000-8000-000000000001'): unknown {
  return json && typeof json === 'object' ? sample(json as JsonSchema, json as JsonSchema, uuid, 0) : undefined;
}
