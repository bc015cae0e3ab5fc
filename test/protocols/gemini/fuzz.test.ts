import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  validateCountTokensRequest,
  validateGenerateContentRequest,
} from '../../../src/protocols/gemini/request-schema.ts';
import { startTestEnvironment, type TestEnvironment } from '../../helpers/app.ts';

/**
 * Malformed bodies and odd paths against the real app wired to the simulator: no 5xx, every error
 * in Google's shape, nothing the request schema refuses reaches the upstream, the process survives.
 * Fixed seeds, so a failure reproduces; the failing cases are printed, not shrunk (each is a few
 * HTTP calls, shrinking would take minutes).
 */

const SEED = 20_261_205;
const BODY_RUNS = 520;
const PATH_RUNS = 160;

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
const sentBody: fc.Arbitrary<string> = fc.oneof(
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

const MODELS = ['gemini-3-flash', 'claude-sonnet-4-6', 'models%2Fgemini-3.1-pro-low'];

let env: TestEnvironment;
const statuses = new Map<string, number>();
const failures: string[] = [];
/** Fastify refuses a malformed %-escape before any route runs, so the Gemini error handler never sees it. */
const badUrlAnswers: string[] = [];

function count(label: string): void {
  statuses.set(label, (statuses.get(label) ?? 0) + 1);
}

function excerpt(text: string): string {
  return text.length > 3000 ? `${text.slice(0, 3000)}… (${text.length} chars)` : text;
}

/** Upstream generate/count calls so far (the simulator records every request it gets). */
function upstreamCalls(): number {
  return env.sim.requests.filter((r) => r.rpc && /generateContent|countTokens/i.test(r.rpc)).length;
}

/** Sends one request and checks the answer; problems go to `failures`. */
async function check(
  group: 'body' | 'path',
  method: string,
  path: string,
  body?: string,
  contentType = 'application/json',
) {
  let response: Response;
  try {
    response = await fetch(`${env.url}${path}`, {
      method,
      headers: {
        'x-goog-api-key': 'fuzz-key',
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body,
    });
  } catch (error) {
    failures.push(
      `${method} ${excerpt(path)}: request failed (${(error as Error).message}) body=${excerpt(body ?? '')}`,
    );
    return 0;
  }
  const text = await response.text();
  const route = path.includes(':countTokens')
    ? 'countTokens'
    : path.includes(':streamGenerateContent')
      ? 'stream'
      : path.includes(':generateContent')
        ? 'generate'
        : method === 'GET'
          ? 'get'
          : 'other';
  count(`${group}: ${route} ${response.status}`);
  const problem = (why: string) =>
    (text.includes('FST_ERR_BAD_URL') ? badUrlAnswers : failures).push(
      `${method} ${excerpt(path)} → ${response.status} ${why}: body=${excerpt(body ?? '')} answer=${excerpt(text)}`,
    );
  if (response.status >= 500) problem('5xx');
  if (response.status >= 400) {
    let parsed: { error?: { code?: unknown; message?: unknown; status?: unknown } } | undefined;
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      problem('not JSON');
      return response.status;
    }
    const error = parsed?.error;
    if (
      !/application\/json/.test(response.headers.get('content-type') ?? '') ||
      typeof error !== 'object' ||
      error === null ||
      error.code !== response.status ||
      typeof error.message !== 'string' ||
      typeof error.status !== 'string' ||
      !/^[A-Z_]+$/.test(error.status)
    )
      problem('not in Google error shape');
  } else if (route === 'stream') {
    // A late failure travels as an error event; it must not be a hidden 5xx either.
    for (const match of text.matchAll(/"error":\{"code":(\d+)/g)) {
      count(`${group}: stream ${response.status} + error event ${match[1]}`);
      if (Number(match[1]) >= 500) problem(`error event ${match[1]}`);
    }
  }
  return response.status;
}

beforeAll(async () => {
  env = await startTestEnvironment({ simulator: { unmeteredQuota: true } });
  await env.importAccounts('alice.pro@gmail.com', 'bob.free@gmail.com');
});

afterAll(async () => {
  await env?.close();
});

describe('Gemini routes under malformed input', () => {
  it('answer every malformed body with a Google-shaped 4xx and forward none of the refused ones', async () => {
    await fc.assert(
      fc.asyncProperty(sentBody, fc.constantFrom(...MODELS), async (sent, model) => {
        let parsed: unknown;
        let json = true;
        try {
          parsed = JSON.parse(sent);
        } catch {
          json = false;
        }
        const isObject = json && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
        const generateRefused = !isObject || !validateGenerateContentRequest(parsed).ok;
        const countRefused = !isObject || !validateCountTokensRequest(parsed).ok;
        count(
          `bodies: ${!json ? 'not JSON' : !isObject ? 'JSON, not an object' : generateRefused ? 'refused by the generate schema' : 'accepted by the generate schema'}`,
        );
        if (sent.length > 100_000) count('bodies: over 100 KB (deep nesting or huge strings)');
        const base = `/v1beta/models/${model}`;
        // One after the other, so each upstream call is the work of a known request.
        for (const [path, refused] of [
          [`${base}:generateContent`, generateRefused],
          [`${base}:streamGenerateContent?alt=sse`, generateRefused],
          [`${base}:countTokens`, countRefused],
        ] as const) {
          const before = upstreamCalls();
          const status = await check('body', 'POST', path, sent);
          if (!refused) continue;
          if (status !== 400 && status !== 0)
            failures.push(`${path} answered ${status} to a body the schema refuses: ${excerpt(sent)}`);
          if (upstreamCalls() > before)
            failures.push(`${path}: a body the schema refuses reached the upstream: ${excerpt(sent)}`);
        }
      }),
      { seed: SEED, numRuns: BODY_RUNS, endOnFailure: true },
    );
  }, 120_000);

  it('answer odd model names and paths without a 5xx', async () => {
    const validBody = JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] });
    const name = fc.oneof(
      fc.constantFrom(
        '%00',
        '..%2F..%2Fapi%2Faccounts',
        '..%2F',
        '%2e%2e%2f',
        '%',
        '%E0%A4%A',
        '%C0%AF',
        '%FF',
        '%25',
        ':',
        '::',
        'models%2F',
        'models%2Fmodels%2Fgemini-3-flash',
        'gemini-3-flash%3AgenerateContent',
        'gemini-3-flash:generateContent:generateContent',
        '🦄',
        'a'.repeat(5_000),
        'gemini-3-flash'.repeat(1_000),
        'x/y/z',
        '%u0000',
        'con',
        '__proto__',
        'constructor',
      ),
      fc.string({ maxLength: 30 }).map((text) => encodeURIComponent(text)),
      fc.string({ unit: 'binary', maxLength: 10 }).map((text) => encodeURIComponent(text)),
    );
    const method = fc.constantFrom(
      'generateContent',
      'streamGenerateContent?alt=sse',
      'streamGenerateContent',
      'countTokens',
      'bogus',
      '',
      '__proto__',
      'constructor',
    );
    await fc.assert(
      fc.asyncProperty(name, method, async (model, rpc) => {
        await Promise.all([
          check('path', 'GET', `/v1beta/models/${model}`),
          check('path', 'POST', `/v1beta/models/${model}${rpc ? `:${rpc}` : ''}`, validBody),
          check('path', 'POST', `/v1beta/models/${model}${rpc ? `:${rpc}` : ''}`, validBody, 'text/plain'),
        ]);
      }),
      { seed: SEED + 1, numRuns: PATH_RUNS, endOnFailure: true },
    );
    expect(await check('path', 'GET', '/v1beta/models')).toBe(200);
    expect(await check('path', 'GET', '/v1beta/models?pageSize=-1&pageToken=%00')).toBe(200);
  }, 120_000);

  it('stays alive, and reports what it saw', async () => {
    const health = await fetch(`${env.url}/health`);
    expect(health.status).toBe(200);
    const seen = [...statuses.entries()].sort(([a], [b]) => a.localeCompare(b));
    console.log(
      `Gemini fuzz: ${seen.filter(([label]) => / \d+$/.test(label) && !label.includes('event')).reduce((sum, [, n]) => sum + n, 0)} HTTP answers\n` +
        seen.map(([label, n]) => `  ${label}: ${n}`).join('\n'),
    );
    if (failures.length)
      console.log(`Gemini fuzz failures (${failures.length}):\n${failures.slice(0, 40).join('\n')}`);
    expect(failures).toEqual([]);
  });

  it('answers a malformed %-escape in the path in Google’s error shape too', () => {
    // Fails while the app answers FST_ERR_BAD_URL with Fastify's own body (`frameworkErrors` in src/app.ts).
    expect(badUrlAnswers.slice(0, 3)).toEqual([]);
  });
});
