import { isPlainObject } from '../../util/json.ts';
/**
 * A client's JSON Schema → the schema subset v1internal accepts (wire.md §2.13 #5).
 *
 * v1internal parses tool parameters into Google's proto `Schema`, so any keyword outside that
 * subset is a 400 (`Unknown name "$schema"`, `Proto field is not repeating, cannot start list`).
 * Rather than deleting the keywords we know to be refused, the output is built from a whitelist:
 * a keyword a new client invents next month is dropped instead of failing every request.
 * Constraints the upstream cannot express survive as a short hint in the description, so the
 * model still sees them.
 *
 * Pure and total: never mutates its input, never throws, bounded in depth and size whatever
 * JSON value it is given.
 */

type Json = Record<string, unknown>;

/** Deeper schemas are cut off: real tool schemas stay far below this, hostile ones must not blow the stack. */
const MAX_DEPTH = 64;
/** Caps the output size: non-recursive `$ref`s can still double at every level ("billion laughs"). */
const MAX_NODES = 10_000;
const MAX_HINT_VALUE_LENGTH = 80;

const SCHEMA_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);
/** The only string formats v1internal takes (wire.md §2.13 #5); the rest become hints. */
const KEPT_STRING_FORMATS = new Set(['enum', 'date-time']);
/** Constraints v1internal refuses but that still tell the model something useful. */
const HINTED_CONSTRAINTS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'default',
];

interface CleanContext {
  root: Json;
  /** `$ref`s being expanded on the current path; meeting one again means recursion. */
  activeRefs: Set<string>;
  remainingNodes: number;
}

/** The lower-cased type name when it is one v1internal knows (clients may send `STRING` or `string`). */
export function schemaTypeOf(schema: Json): string | undefined {
  const type = schema.type;
  if (typeof type !== 'string') return undefined;
  const lower = type.toLowerCase();
  return SCHEMA_TYPES.has(lower) ? lower : undefined;
}

export function cleanSchema(schema: unknown): Json {
  if (!isPlainObject(schema)) return { type: 'object' };
  // The root counts as being expanded: a `$ref: "#"` inside it is recursion from the start.
  const context: CleanContext = { root: schema, activeRefs: new Set(['#']), remainingNodes: MAX_NODES };
  const cleaned = cleanNode(schema, context, 0);
  // Tool parameters must be an object schema; a root that names no type can only mean one.
  return cleaned.type === undefined ? { type: 'object', ...cleaned } : cleaned;
}

function cleanNode(input: unknown, context: CleanContext, depth: number): Json {
  // Boolean schemas (`true` = anything) and garbage both become "any value".
  if (!isPlainObject(input)) return {};
  if (depth > MAX_DEPTH || context.remainingNodes <= 0) {
    return { type: 'object', description: 'Schema truncated: nested too deeply' };
  }
  context.remainingNodes--;
  // Most nodes have neither; skip the bookkeeping for them (this runs on every tool of every request).
  if (input.$ref === undefined && input.allOf === undefined) return cleanExpanded(input, context, depth);
  const enteredRefs: string[] = [];
  const expanded = expandRefsAndAllOf(input, context, enteredRefs, depth);
  const newlyActive = enteredRefs.filter((ref) => !context.activeRefs.has(ref));
  for (const ref of newlyActive) context.activeRefs.add(ref);
  try {
    return cleanExpanded(expanded, context, depth);
  } finally {
    for (const ref of newlyActive) context.activeRefs.delete(ref);
  }
}

/**
 * Inlines a local `$ref` (siblings override the target) and merges `allOf` branches into one raw
 * schema. Every ref it follows is recorded so the caller keeps it active while cleaning children.
 */
function expandRefsAndAllOf(node: Json, context: CleanContext, entered: string[], depth: number): Json {
  if (depth > MAX_DEPTH) return {};
  let current = node;
  if (typeof current.$ref === 'string') {
    const ref = current.$ref;
    const { $ref: _ref, ...siblings } = current;
    const target = resolveLocalRef(context.root, ref);
    if (!isPlainObject(target)) return withHint(siblings, `see ${refName(ref)}`);
    if (context.activeRefs.has(ref) || entered.includes(ref))
      return recursiveRefStandIn(siblings, target, ref);
    entered.push(ref);
    current = { ...expandRefsAndAllOf(target, context, entered, depth + 1), ...siblings };
  }
  if (Array.isArray(current.allOf)) {
    const { allOf, ...merged } = current;
    for (const branch of allOf) {
      if (isPlainObject(branch))
        mergeAllOfBranch(merged, expandRefsAndAllOf(branch, context, entered, depth + 1));
    }
    current = merged;
  }
  return current;
}

/** allOf means "all of these at once": properties and required lists add up; the node's own keys win. */
function mergeAllOfBranch(merged: Json, branch: Json): void {
  for (const [key, value] of Object.entries(branch)) {
    if (key === '__proto__') continue;
    if (key === 'properties' && isPlainObject(value)) {
      merged.properties = { ...value, ...(isPlainObject(merged.properties) ? merged.properties : {}) };
    } else if (key === 'required' && Array.isArray(value)) {
      const own = Array.isArray(merged.required) ? merged.required : [];
      merged.required = [...new Set([...own, ...value])];
    } else if (!Object.hasOwn(merged, key)) {
      merged[key] = value;
    }
  }
}

/** `#/$defs/X`, `#/definitions/X`, or any other JSON pointer into the same document (Zod emits `#/properties/…`). */
function resolveLocalRef(root: Json, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let current: unknown = root;
  for (const rawSegment of ref.slice(2).split('/')) {
    const segment = decodePointerSegment(rawSegment);
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isPlainObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

function decodePointerSegment(segment: string): string {
  if (!segment.includes('~') && !segment.includes('%')) return segment;
  let decoded = segment.replaceAll('~1', '/').replaceAll('~0', '~');
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // Not percent-encoded after all; the literal segment is the best guess.
  }
  return decoded;
}

function refName(ref: string): string {
  if (ref === '#') return 'root';
  return decodePointerSegment(ref.slice(ref.lastIndexOf('/') + 1)) || ref;
}

/** A schema that contains itself cannot be inlined; the model gets an open object and the name. */
function recursiveRefStandIn(siblings: Json, target: Json, ref: string): Json {
  const description =
    typeof siblings.description === 'string'
      ? siblings.description
      : typeof target.description === 'string'
        ? target.description
        : undefined;
  const hint = `recursive ${refName(ref)}`;
  return { type: 'object', description: description ? `${description} (${hint})` : hint };
}

function withHint(node: Json, hint: string): Json {
  const description = typeof node.description === 'string' ? node.description : undefined;
  return { ...node, description: description ? `${description} (${hint})` : hint };
}

/** Cleans one node whose own `$ref`/`allOf` are already expanded; children are still raw. */
function cleanExpanded(node: Json, context: CleanContext, depth: number): Json {
  const union = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  if (union) return cleanUnion(node, union, context, depth);

  const hints: string[] = [];
  const picked = pickType(node.type, hints);
  let type = picked.type;
  let nullable = node.nullable === true || picked.nullable;

  const enumValues = Array.isArray(node.enum) ? node.enum : 'const' in node ? [node.const] : undefined;
  let enumStrings: string[] | undefined;
  if (enumValues) {
    if (enumValues.includes(null)) nullable = true;
    const values = enumValues.filter((value) => value !== null && typeof value !== 'object');
    const lowerType = type?.toLowerCase();
    if (
      lowerType === 'boolean' ||
      (values.length > 0 && values.every((value) => typeof value === 'boolean'))
    ) {
      // v1internal takes string enums only; a boolean's type already says everything but a single allowed value.
      type ??= 'boolean';
      if (values.length === 1) hints.push(`allowed: ${String(values[0])}`);
    } else if ((lowerType === 'integer' || lowerType === 'number') && values.length > 0) {
      // The declared type decides the JSON type of the arguments the model emits; keep it and say the values instead.
      hints.push(`allowed: ${values.map(String).join(', ')}`);
    } else if (values.length > 0) {
      enumStrings = [...new Set(values.map(String))];
      type ??= 'string';
    }
  }

  const properties = isPlainObject(node.properties) ? node.properties : undefined;
  const items = node.items ?? node.prefixItems;
  type ??= properties ? 'object' : items !== undefined ? 'array' : undefined;
  const lowerType = type?.toLowerCase();

  const out: Json = {};
  if (type !== undefined) out.type = type;
  if (nullable) out.nullable = true;
  if (lowerType === 'object' && properties) addProperties(out, properties, node.required, context, depth);
  if (lowerType === 'array') out.items = cleanItems(items, hints, context, depth);
  if (enumStrings && (lowerType === undefined || lowerType === 'string')) out.enum = enumStrings;
  if (typeof node.format === 'string') {
    if (lowerType === 'string' && KEPT_STRING_FORMATS.has(node.format)) out.format = node.format;
    else hints.push(`format: ${node.format}`);
  }
  for (const keyword of HINTED_CONSTRAINTS) {
    const value = node[keyword];
    // `uniqueItems: false`, draft-04 `exclusiveMinimum: false` and `default: null` (beside nullable) say nothing.
    if ((value === false && keyword !== 'default') || (value === null && keyword === 'default')) continue;
    const hint = formatHintValue(value);
    if (hint !== undefined) hints.push(`${keyword}: ${hint}`);
  }
  return withDescription(out, node.description, hints);
}

/** `type: ["string","null"]` → "string" + nullable; several real types → the richest one and a hint. */
function pickType(rawType: unknown, hints: string[]): { type: string | undefined; nullable: boolean } {
  if (typeof rawType === 'string') {
    const lower = rawType.toLowerCase();
    return { type: SCHEMA_TYPES.has(lower) ? rawType : undefined, nullable: lower === 'null' };
  }
  const names = (Array.isArray(rawType) ? rawType : [rawType]).filter(
    (name): name is string => typeof name === 'string',
  );
  const nullable = names.some((name) => name.toLowerCase() === 'null');
  const real = names.filter((name) => SCHEMA_TYPES.has(name.toLowerCase()));
  if (real.length > 1) hints.push(`accepts: ${real.join(' | ')}`);
  let best: string | undefined;
  for (const name of real) if (typeRank(name) > typeRank(best)) best = name;
  return { type: best, nullable };
}

/** Object over array over any other typed schema: the richest branch loses the least for the model. */
function typeRank(type: string | undefined): number {
  const lower = type?.toLowerCase();
  return lower === 'object' ? 3 : lower === 'array' ? 2 : lower !== undefined ? 1 : 0;
}

function addProperties(
  out: Json,
  properties: Json,
  rawRequired: unknown,
  context: CleanContext,
  depth: number,
): void {
  const cleaned: Json = {};
  const required = new Set(
    Array.isArray(rawRequired) ? rawRequired.filter((name) => typeof name === 'string') : [],
  );
  for (const [name, child] of Object.entries(properties)) {
    const value = cleanNode(child, context, depth + 1);
    // Assigning "__proto__" would set the prototype instead of adding the property.
    if (name === '__proto__')
      Object.defineProperty(cleaned, name, { value, enumerable: true, writable: true });
    else cleaned[name] = value;
    // Some MCP servers mark a property `required: true` on the property itself (draft-03 style).
    if (isPlainObject(child) && child.required === true) required.add(name);
  }
  // An empty map is refused by Gemini ("should be non-empty for OBJECT type") and says nothing anyway.
  if (Object.keys(cleaned).length === 0) return;
  out.properties = cleaned;
  const existing = [...required].filter((name) => Object.hasOwn(cleaned, name));
  if (existing.length > 0) out.required = existing;
}

/** Arrays need `items` upstream (Gemini: "items: missing field"); tuples keep their first element's schema. */
function cleanItems(items: unknown, hints: string[], context: CleanContext, depth: number): Json {
  if (Array.isArray(items)) {
    if (items.length > 1) hints.push('tuple; see description');
    return items.length > 0 ? cleanNode(items[0], context, depth + 1) : { type: 'string' };
  }
  return isPlainObject(items) ? cleanNode(items, context, depth + 1) : { type: 'string' };
}

/** anyOf/oneOf has no v1internal form: keep the best non-null branch, a null branch makes it nullable. */
function cleanUnion(node: Json, union: unknown[], context: CleanContext, depth: number): Json {
  const { anyOf: _anyOf, oneOf: _oneOf, ...own } = node;
  const branches = union.map((branch) => cleanNode(branch, context, depth + 1));
  const isNullBranch = (branch: Json) =>
    branch.nullable === true && branch.type === undefined && Object.keys(branch).length === 1;
  const real = branches.filter((branch) => !isNullBranch(branch));
  const hints: string[] = [];
  const typeNames = [
    ...new Set(real.map((branch) => branch.type).filter((type) => typeof type === 'string')),
  ];
  if (typeNames.length > 1) hints.push(`accepts: ${typeNames.join(' | ')}`);
  let best: Json = {};
  for (const branch of real) if (typeRank(schemaTypeOf(branch)) > typeRank(schemaTypeOf(best))) best = branch;
  if (best.type === undefined && real[0]) best = real[0];

  // The node's own keywords (description, properties of a discriminated union…) sit on top of the branch.
  const ownCleaned = Object.keys(own).length > 0 ? cleanExpanded(own, context, depth) : {};
  const merged: Json = { ...best, ...ownCleaned };
  if (ownCleaned.type === undefined && best.type !== undefined) merged.type = best.type;
  // An array node that leaves `items` to its branches got a default `items`; the branch knows better.
  if (own.items === undefined && best.items !== undefined) merged.items = best.items;
  if (isPlainObject(best.properties) && isPlainObject(ownCleaned.properties)) {
    merged.properties = { ...best.properties, ...ownCleaned.properties };
    const required = [best.required, ownCleaned.required].flatMap((list) =>
      Array.isArray(list) ? list : [],
    );
    if (required.length > 0) merged.required = [...new Set(required)];
  }
  if (real.length < branches.length || best.nullable === true || ownCleaned.nullable === true) {
    merged.nullable = true;
  }
  const description = typeof merged.description === 'string' ? merged.description : undefined;
  const { description: _description, ...rest } = merged;
  return withDescription(rest, description, hints);
}

function withDescription(out: Json, rawDescription: unknown, hints: string[]): Json {
  const description =
    typeof rawDescription === 'string' && rawDescription !== '' ? rawDescription : undefined;
  const hintText = hints.join(', ');
  const text = description && hintText ? `${description} (${hintText})` : (description ?? hintText);
  if (text) out.description = text;
  return orderKeys(out);
}

/** A stable, readable key order (type first) keeps request bodies and test snapshots easy to read. */
function orderKeys(schema: Json): Json {
  const order = ['type', 'nullable', 'description', 'properties', 'required', 'items', 'enum', 'format'];
  const out: Json = {};
  for (const key of order) if (schema[key] !== undefined) out[key] = schema[key];
  return out;
}

/** Primitives and short lists only: a hint must never stringify a huge or deeply nested value. */
function formatHintValue(value: unknown): string | undefined {
  let text: string | undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    text = String(value);
  else if (value === null) text = 'null';
  else if (Array.isArray(value) && value.length <= 10 && value.every((item) => typeof item !== 'object')) {
    text = `[${value.map(String).join(', ')}]`;
  }
  if (text === undefined) return undefined;
  return text.length > MAX_HINT_VALUE_LENGTH ? `${text.slice(0, MAX_HINT_VALUE_LENGTH)}...` : text;
}
