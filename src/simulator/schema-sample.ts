import { isPlainObject } from '../util/json.ts';

/**
 * A small value that satisfies a response schema, as a real model in JSON mode answers
 * (`responseMimeType: application/json` with `responseSchema` or `responseJsonSchema`). Clients
 * parse these answers strictly (the Gemini CLI's router checks `complexity_score` is 1..100 with
 * zod), so the value honours what the schema says: OpenAPI upper-case and JSON Schema lower-case
 * types, enum/const, required properties, bounds (and a range stated in the description when the
 * schema has none), string lengths and formats, item counts, local `$ref`s, allOf/anyOf/oneOf.
 * `pattern` is honoured only when the default text happens to match.
 */

type Schema = Record<string, unknown>;

interface Context {
  root: unknown;
  depth: number;
}

/** Past this depth arrays and objects keep only what the schema requires (recursive schemas). */
const SHALLOW_DEPTH = 4;
const MAX_DEPTH = 12;

const FORMATS: Record<string, string> = {
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00',
  email: 'user@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  'uri-reference': 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
};

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `#/$defs/x`, `#/definitions/x` and any other local JSON pointer. */
function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isPlainObject(node) ? node[key] : undefined;
  }
  return node;
}

/** The schema with `$ref` followed and `allOf` merged into it. */
function normalize(schema: Schema, ctx: Context): Schema {
  let s = schema;
  for (let hops = 0; hops < 8; hops++) {
    const ref = typeof s.$ref === 'string' ? s.$ref : typeof s.ref === 'string' ? s.ref : undefined;
    const target = ref === undefined ? undefined : resolveRef(ref, ctx.root);
    if (!isPlainObject(target)) break;
    const { $ref: _a, ref: _b, ...rest } = s;
    s = { ...target, ...rest };
  }
  if (!Array.isArray(s.allOf)) return s;
  let merged: Schema = { ...s, allOf: undefined };
  for (const part of s.allOf) {
    if (!isPlainObject(part)) continue;
    const p = normalize(part, ctx);
    merged = {
      ...p,
      ...merged,
      properties: { ...(p.properties as Schema), ...(merged.properties as Schema) },
      required: [...((p.required as unknown[]) ?? []), ...((merged.required as unknown[]) ?? [])],
    };
  }
  return merged;
}

function typeOf(s: Schema): string {
  const declared = Array.isArray(s.type)
    ? (s.type.find((t) => String(t).toLowerCase() !== 'null') ?? s.type[0])
    : s.type;
  const type = typeof declared === 'string' ? declared.toLowerCase() : undefined;
  if (type && type !== 'type_unspecified') return type;
  if (s.properties || s.required || s.additionalProperties) return 'object';
  if (s.items || s.prefixItems) return 'array';
  if (num(s.minimum) !== undefined || num(s.maximum) !== undefined) return 'number';
  return 'string';
}

/** "Complexity score from 1-100.", "between 0 and 1", "1 to 10": what a model reads when bounds are absent. */
function describedRange(description: unknown): [number, number] | undefined {
  if (typeof description !== 'string') return undefined;
  const match = /(-?\d+(?:\.\d+)?)\s*(?:-|\u2013|to|and)\s*(-?\d+(?:\.\d+)?)/.exec(description);
  if (!match) return undefined;
  const lo = Number(match[1]);
  const hi = Number(match[2]);
  return lo <= hi ? [lo, hi] : undefined;
}

function sampleNumber(s: Schema, integer: boolean, index: number): number {
  let lo = num(s.minimum);
  let hi = num(s.maximum);
  let loOpen = s.exclusiveMinimum === true;
  let hiOpen = s.exclusiveMaximum === true;
  const exLo = num(s.exclusiveMinimum);
  const exHi = num(s.exclusiveMaximum);
  if (exLo !== undefined && (lo === undefined || exLo >= lo)) [lo, loOpen] = [exLo, true];
  if (exHi !== undefined && (hi === undefined || exHi <= hi)) [hi, hiOpen] = [exHi, true];
  if (lo === undefined && hi === undefined) [lo, hi] = describedRange(s.description) ?? [];
  const step = num(s.multipleOf) ?? (integer ? 1 : undefined);
  const fits = (v: number): boolean =>
    (!integer || Number.isInteger(v)) &&
    (lo === undefined || (loOpen ? v > lo : v >= lo)) &&
    (hi === undefined || (hiOpen ? v < hi : v <= hi)) &&
    (step === undefined || Math.abs(v / step - Math.round(v / step)) < 1e-9);
  const candidates: number[] = [];
  const near = (v: number) => {
    candidates.push(
      v,
      Math.ceil(v),
      Math.floor(v) + 1,
      v + 0.5,
      v + 1,
      Math.floor(v),
      Math.ceil(v) - 1,
      v - 0.5,
    );
    if (step !== undefined) candidates.push(Math.ceil(v / step) * step, Math.floor(v / step) * step);
  };
  if (lo !== undefined) near(lo);
  if (hi !== undefined) near(hi);
  if (lo !== undefined && hi !== undefined) near((lo + hi) / 2);
  candidates.push(1, 0, step ?? 1);
  const base = candidates.find(fits) ?? lo ?? hi ?? 1;
  // Distinct values for the items of one array (uniqueItems).
  const varied = base + index * (step ?? 1);
  return index > 0 && fits(varied) ? varied : base;
}

function sampleString(s: Schema, index: number): string {
  const format = typeof s.format === 'string' ? FORMATS[s.format] : undefined;
  let text = format ?? (index > 0 ? `simulated ${index + 1}` : 'simulated');
  const min = num(s.minLength);
  const max = num(s.maxLength);
  if (min !== undefined && text.length < min) text = text.padEnd(min, '.');
  if (max !== undefined && text.length > max) text = text.slice(0, max);
  return text;
}

function sampleArray(s: Schema, ctx: Context): unknown[] {
  const next = { ...ctx, depth: ctx.depth + 1 };
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
  const rest = Array.isArray(s.items) ? s.additionalItems : s.items;
  const min = num(s.minItems) ?? (ctx.depth >= SHALLOW_DEPTH ? 0 : 1);
  const max = num(s.maxItems);
  const count = Math.max(
    max === undefined ? min : Math.min(min, max),
    Math.min(prefix.length, max ?? Infinity),
  );
  const out: unknown[] = [];
  for (let k = 0; k < count; k++) out.push(sample(k < prefix.length ? prefix[k] : rest, next, k));
  return out;
}

function sampleObject(s: Schema, ctx: Context): Record<string, unknown> {
  const next = { ...ctx, depth: ctx.depth + 1 };
  const properties = isPlainObject(s.properties) ? s.properties : {};
  const required = (Array.isArray(s.required) ? s.required : []).filter((k) => typeof k === 'string');
  const ordering = Array.isArray(s.propertyOrdering) ? s.propertyOrdering.map(String) : [];
  const keys = [...new Set([...ordering, ...Object.keys(properties), ...required])].filter(
    (key) => key in properties || required.includes(key),
  );
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (ctx.depth >= SHALLOW_DEPTH && !required.includes(key)) continue;
    out[key] = sample(properties[key], next, 0);
  }
  const extra = isPlainObject(s.additionalProperties) ? s.additionalProperties : {};
  for (let n = 1; Object.keys(out).length < (num(s.minProperties) ?? 0); n++) {
    out[`key${n}`] = sample(extra, next, n - 1);
  }
  return out;
}

function sample(schema: unknown, ctx: Context, index: number): unknown {
  if (!isPlainObject(schema)) return index > 0 ? `simulated ${index + 1}` : 'simulated';
  const s = normalize(schema, ctx);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) {
    const values = s.enum.filter((v) => v !== null);
    return values.length > 0 ? values[index % values.length] : null;
  }
  const variants = [s.anyOf, s.oneOf].find((v): v is unknown[] => Array.isArray(v) && v.length > 0);
  if (variants) {
    const pick =
      variants.find((v) => !isPlainObject(v) || typeOf(normalize(v, ctx)) !== 'null') ?? variants[0];
    return sample(pick, ctx, index);
  }
  const type = typeOf(s);
  if (ctx.depth > MAX_DEPTH) return type === 'object' ? {} : type === 'array' ? [] : null;
  switch (type) {
    case 'object':
      return sampleObject(s, ctx);
    case 'array':
      return sampleArray(s, ctx);
    case 'integer':
    case 'number':
      return sampleNumber(s, type === 'integer', index);
    case 'boolean':
      return index % 2 === 1;
    case 'null':
      return null;
    default:
      return sampleString(s, index);
  }
}

export function sampleFromSchema(schema: unknown): unknown {
  return sample(schema, { root: schema, depth: 0 }, 0);
}
