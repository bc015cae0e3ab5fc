/**
 * The arbitraries of fuzz.test.ts: malformed Gemini request bodies, made by mutating a valid request
 * that uses every part of the schema, or text that is not JSON at all.
 */
import fc from 'fast-check';

type Key = string | number;

/** A valid request using every part of the schema, in both spellings. */
const BASE = {
  contents: [
    { role: 'user', parts: [{ text: 'What is the weather in Paris?' }] },
    {
      role: 'model',
      parts: [
        { text: 'Checking.', thought: true },
        { functionCall: { id: 'c1', name: 'get_weather', args: { city: 'Paris' } } },
      ],
    },
    {
      role: 'user',
      parts: [
        { functionResponse: { id: 'c1', name: 'get_weather', response: { result: '18°C' } } },
        { inline_data: { mime_type: 'image/png', data: 'iVBORw0KGgo=' } },
      ],
    },
    { parts: [{ text: 'And tomorrow?' }] },
  ],
  systemInstruction: { role: 'user', parts: [{ text: 'Be brief.' }] },
  tools: [
    {
      functionDeclarations: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: {
            type: 'OBJECT',
            properties: { city: { type: 'STRING' }, days: { type: 'ARRAY', items: { type: 'INTEGER' } } },
            required: ['city'],
          },
        },
      ],
    },
  ],
  tool_config: { function_calling_config: { mode: 'AUTO', allowed_function_names: ['get_weather'] } },
  generationConfig: {
    maxOutputTokens: 256,
    temperature: 0.5,
    topK: 40,
    stopSequences: ['END'],
    thinkingConfig: { includeThoughts: true, thinkingBudget: 128 },
  },
  safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'OFF' }],
};

/** The nodes of a JSON value (the root included) down to a depth, as key paths. */
function pathsOf(value: unknown, maxDepth = 12): Key[][] {
  const out: Key[][] = [];
  const stack: Array<[unknown, Key[]]> = [[value, []]];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    out.push(path);
    if (path.length >= maxDepth || typeof node !== 'object' || node === null || node instanceof Deep)
      continue;
    for (const [key, item] of Object.entries(node))
      stack.push([item, [...path, Array.isArray(node) ? Number(key) : key]]);
  }
  return out;
}

/** An own, enumerable key even for `__proto__`, so JSON.stringify sends it. */
function withKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A value nested `depth` levels deep. Kept as a marker until the body is serialized: JSON.stringify
 * and structuredClone overflow the stack on a hundred thousand levels, JSON.parse does not.
 */
class Deep {
  readonly depth: number;
  readonly inArray: boolean;
  constructor(depth: number, inArray: boolean) {
    this.depth = depth;
    this.inArray = inArray;
  }
  get text(): string {
    return this.inArray
      ? '['.repeat(this.depth) + ']'.repeat(this.depth)
      : '{"a":'.repeat(this.depth) + '"x"' + '}'.repeat(this.depth);
  }
}

function serialize(body: unknown): string {
  const deep: Deep[] = [];
  const text =
    JSON.stringify(body, (_key, value: unknown) =>
      value instanceof Deep ? `@@deep-${deep.push(value) - 1}@@` : value,
    ) ?? 'null';
  return text.replace(/"@@deep-(\d+)@@"/g, (_, index: string) => deep[Number(index)]!.text);
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, 2 ** 31, -(2 ** 31) - 1, 0.5, 1e-320, 1e21),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', '\u0000', '\uD800', '\u202E🦄', 'ten', '10', 'USER', 'system', 'x'.repeat(70_000)),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc
    .tuple(
      fc.oneof(fc.integer({ min: 20, max: 300 }), fc.integer({ min: 50_000, max: 120_000 })),
      fc.boolean(),
    )
    .map(([depth, inArray]) => new Deep(depth, inArray)),
  fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 2 })).map(([key, value]) => {
    const object: Record<string, unknown> = {};
    withKey(object, key, value);
    return object;
  }),
);

const newKey = fc.oneof(
  fc.constantFrom(...PROTO_KEYS),
  fc.constantFrom(
    'contents',
    'parts',
    'text',
    'role',
    'generation_config',
    'system_instruction',
    'function_call',
    'inlineData',
    'thought_signature',
    'generateContentRequest',
    'items',
    'properties',
  ),
  fc.string({ maxLength: 12 }),
);

type Mutation =
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'addKey'; at: number; key: string; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'wrapInArray'; at: number }
  | { op: 'unwrapToObject'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('replace'), at: fc.nat(), value: badValue }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('addKey'), at: fc.nat(), key: newKey, value: badValue }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete'), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('wrapInArray'), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unwrapToObject'), at: fc.nat() }) },
) as fc.Arbitrary<Mutation>;

function apply(root: unknown, mutations: Mutation[]): unknown {
  let body = structuredClone(root);
  for (const m of mutations) {
    const paths = pathsOf(body);
    const path = paths[m.at % paths.length]!;
    const parent = path.length
      ? (path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<Key, unknown>)[key], body) as
          Record<Key, unknown> | unknown[])
      : undefined;
    const last = path.at(-1)!;
    const current = parent ? (parent as Record<Key, unknown>)[last] : body;
    let next: unknown = current;
    if (m.op === 'replace') next = m.value;
    else if (m.op === 'wrapInArray') next = [current];
    else if (m.op === 'unwrapToObject') next = Array.isArray(current) ? { ...current } : current;
    else if (m.op === 'addKey') {
      if (typeof current === 'object' && current !== null && !Array.isArray(current))
        withKey(current as Record<string, unknown>, m.key, m.value);
      continue;
    } else if (m.op === 'delete') {
      if (parent && !Array.isArray(parent)) delete (parent as Record<Key, unknown>)[last];
      else if (Array.isArray(parent)) parent.splice(last as number, 1);
      continue;
    }
    if (!parent) body = next;
    else if (typeof last === 'string') withKey(parent as Record<string, unknown>, last, next);
    else (parent as unknown[])[last] = next;
  }
  return body;
}

/** Bodies that are not JSON, or JSON that is not an object. */
const badText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"contents":',
    'null',
    '[]',
    '"x"',
    '1',
    'true',
    '{"a":1,}',
    'NaN',
    '\uFEFF{"contents":[]}',
    '{"contents":[{"parts":[{"text":"\\ud800"}]}]}',
    '{"generationConfig":{"temperature":1e999},"contents":[{"parts":[{"text":"x"}]}]}',
    '{"contents":[],"contents":[{"parts":[{"text":"dup"}]}]}',
    '{"__proto__":{"contents":[{"parts":[{"text":"x"}]}]}}',
    '{"constructor":{"prototype":{"polluted":true}},"contents":[{"parts":[{"text":"x"}]}]}',
    '['.repeat(20_000) + ']'.repeat(20_000),
    '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000),
  ),
  fc.tuple(fc.nat(), fc.string({ maxLength: 5 })).map(([cut, junk]) => {
    const text = JSON.stringify(BASE);
    const at = cut % text.length;
    return text.slice(0, at) + junk + text.slice(at + (junk ? 1 : 0) * 3);
  }),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** The text of a body: a mutated request (mostly), text that is not JSON, or countTokens' nested form. */
export const sentBody: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(mutation, { minLength: 1, maxLength: 3 })
      .map((mutations) => serialize(apply(BASE, mutations))),
  },
  { weight: 2, arbitrary: badText },
  {
    weight: 1,
    arbitrary: fc
      .array(mutation, { minLength: 1, maxLength: 2 })
      .map((mutations) =>
        serialize(apply({ generateContentRequest: { model: 'models/gemini-3-flash', ...BASE } }, mutations)),
      ),
  },
);
