import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

/**
 * Every route the app registers (read from the router itself, so a route added later is fuzzed
 * too) gets malformed and adversarial bodies, headers, path parameters and query strings. The
 * contract: no 5xx, no hang, the process and /health survive, and memory stays bounded. Fixed
 * seed, so a failure reproduces; failures are printed whole, not shrunk.
 */

const SEED = 20_261_206;
const RUNS_PER_ROUTE = 60;
const REQUEST_TIMEOUT_MS = 15_000;

interface Route {
  method: string;
  /** With `:param` and `*` placeholders. */
  path: string;
}

/** Rebuilds full paths from Fastify's route tree print (`commonPrefix: false`). */
export function routesOf(tree: string): Route[] {
  const routes: Route[] = [];
  const stack: Array<{ depth: number; path: string }> = [];
  for (const line of tree.split('\n')) {
    const match = /^([\s│]*)(?:[├└]── )?(\S.*?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length;
    const segment = match[2]!;
    while (stack.length && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const parent = stack[stack.length - 1]?.path ?? '';
    const path =
      segment === '/'
        ? '/'
        : parent === '/' || parent === ''
          ? `/${segment.replace(/^\//, '')}`
          : `${parent}${segment.startsWith('/') || segment.startsWith('.') ? '' : '/'}${segment}`;
    stack.push({ depth, path });
    for (const method of match[3]!.split(',').map((name) => name.trim()))
      if (method !== 'HEAD') routes.push({ method, path });
  }
  return routes;
}

const odd = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('..', '%2e%2e', '%00', '%', 'null', '-1', '0', '9'.repeat(40), '\u202e', 'a/b', '<script>'),
);

/** A value for a path parameter or wildcard: ids that exist nowhere, traversal, escapes, unicode. */
const pathValue = odd.map((text) => encodeURIComponent(text).slice(0, 120) || 'x');

/** Valid requests of each protocol: mutating one node of them reaches past the first checks. */
const TEMPLATES: unknown[] = [
  {
    model: 'claude-sonnet-4-6',
    max_tokens: 64,
    stream: true,
    system: [{ type: 'text', text: 'Be brief.' }],
    thinking: { type: 'enabled', budget_tokens: 1024 },
    tools: [
      { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
    ],
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 't1', name: 'get_weather', input: { city: 'Paris' } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: '18 C' }] },
    ],
  },
  {
    model: 'gpt-4o',
    stream: true,
    stream_options: { include_usage: true },
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ],
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
    response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
  },
  {
    model: 'gemini-3-flash',
    stream: true,
    input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }],
    tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} } }],
    reasoning: { effort: 'low' },
  },
  { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], generationConfig: { maxOutputTokens: 32 } },
  { refreshTokens: ['1//not-a-token'] },
  { label: 'fuzz', enabled: false, model: 'gpt-4o', mapping: [{ match: 'gpt-*', target: 'gemini-3-flash' }] },
];

type Key = string | number;

function nodePaths(value: unknown, path: Key[] = [], out: Key[][] = []): Key[][] {
  out.push(path);
  if (typeof value === 'object' && value !== null)
    for (const [key, item] of Object.entries(value))
      nodePaths(item, [...path, Array.isArray(value) ? Number(key) : key], out);
  return out;
}

/** The template with the node at `pathIndex` replaced by `replacement` (or removed when undefined). */
function mutate(template: unknown, pathIndex: number, replacement: unknown): string {
  const copy = structuredClone(template);
  const paths = nodePaths(copy);
  const path = paths[pathIndex % paths.length]!;
  if (path.length === 0) return JSON.stringify(replacement ?? null);
  let parent = copy as Record<Key, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return JSON.stringify(copy);
}

/** The template a route expects first (by path), else any. */
function templatesFor(path: string): number[] {
  if (path === '/v1/messages' || path.endsWith('count_tokens')) return [0];
  if (path === '/v1/chat/completions') return [1];
  if (path === '/v1/responses') return [2];
  if (path.startsWith('/v1beta')) return [3];
  return TEMPLATES.map((_, index) => index);
}

const mutatedFor = (path: string) =>
  fc.oneof(
    {
      arbitrary: fc.constantFrom(...templatesFor(path)).map((index) => JSON.stringify(TEMPLATES[index])),
      weight: 1,
    },
    { arbitrary: mutationOf(path), weight: 3 },
  );

const mutationOf = (path: string) =>
  fc
    .tuple(
      fc.constantFrom(...templatesFor(path)),
      fc.nat(200),
      fc.option(
        fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 1e308, '', 'x'.repeat(3000), [], {})),
        { nil: undefined },
      ),
    )
    .map(([template, at, replacement]) => mutate(TEMPLATES[template], at, replacement));

/** Bodies: random JSON, broken JSON, deep nesting, huge numbers, wrong types for known fields. */
const bodyFor = (path: string) =>
  fc.oneof(
    { arbitrary: mutatedFor(path), weight: 4 },
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 200 }),
    fc.constantFrom(
      '',
      '{',
      '{"a":',
      'null',
      '[]',
      '"text"',
      '1e999999',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      `{"a":${'{"a":'.repeat(3000)}1${'}'.repeat(3001)}`,
      '{"model":123,"messages":"x","contents":{},"input":[null],"max_tokens":-5,"stream":"yes"}',
      '{"model":"gemini-3-flash","messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"%%%"}}]}],"max_tokens":16}',
      '{"model":"gemini-3-flash","contents":[{"parts":[{"functionCall":{"name":1}}]}]}',
      '{"refreshTokens":[1,null,{},"x"]}',
      '{"accounts":[{"refresh_token":{}}]}',
      '{"password":"' + 'x'.repeat(5000) + '"}',
    ),
  );

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 6 },
  fc.constantFrom(
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    '',
  ),
);

/** Header values a client could send: odd auth schemes, versions, origins and lengths. */
const headers = fc.record(
  {
    authorization: fc.constantFrom('Bearer ', 'Bearer x', 'Basic Og==', 'Bearer ' + 'k'.repeat(5000), 'x'),
    'x-api-key': odd,
    'x-goog-api-key': odd,
    'anthropic-version': fc.constantFrom('2023-06-01', '1999-01-01', 'x', ''),
    'anthropic-beta': odd,
    origin: fc.constantFrom('http://evil.example', 'null', 'http://127.0.0.1'),
    accept: fc.constantFrom('text/event-stream', 'text/html', '*/*', 'application/xml'),
    'x-session-id': odd,
    cookie: fc.constantFrom('bm_session=x', 'bm_session=' + 'a'.repeat(4000), '=;;=', ''),
  },
  { requiredKeys: [] },
);

const query = fc.dictionary(
  fc.constantFrom(
    'window',
    'limit',
    'cursor',
    'status',
    'model',
    'account',
    'protocol',
    'key',
    'q',
    'alt',
    'key',
    'beta',
    'x',
  ),
  odd,
  { maxKeys: 4 },
);

/** Header values must be latin-1 without control characters, or undici refuses to send them. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

/** Real Gemini methods for most cases of the wildcard route, so bodies reach the translation. */
const GEMINI_TARGETS = [
  'gemini-3-flash:generateContent',
  'gemini-3-flash:streamGenerateContent',
  'claude-sonnet-4-6:countTokens',
];

function urlFor(route: Route, params: string[], search: Record<string, string>, index: number): string {
  if (route.path === '/v1beta/models/*' && index % 4 !== 0) params = [GEMINI_TARGETS[index % 3]!];
  let next = 0;
  const path = route.path.replace(/:[A-Za-z]+|\*/g, () => params[next++ % params.length] ?? 'x');
  const qs = new URLSearchParams(search).toString();
  return qs ? `${path}?${qs}` : path;
}

describe('every route survives malformed and adversarial input', () => {
  let env: TestEnvironment;
  let routes: Route[];
  const statuses = new Map<number, number>();
  const answeredOk = new Set<string>();
  let sent = 0;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await env.importAccounts('alice.pro@gmail.com', 'bob.free@gmail.com');
    routes = routesOf(env.server.app.printRoutes({ commonPrefix: false }));
  });
  afterAll(async () => {
    await env?.close();
  });

  it('reads the route list from the router', () => {
    const names = routes.map((route) => `${route.method} ${route.path}`);
    for (const expected of [
      'POST /v1/messages',
      'POST /v1/chat/completions',
      'POST /v1/responses',
      'POST /v1beta/models/*',
      'POST /api/accounts/import',
      'PATCH /api/accounts/:id',
      'PUT /api/config',
      'GET /api/logs/:id',
      'GET /metrics',
    ])
      expect(names).toContain(expected);
  });

  it('answers every case below 500, in time, and keeps serving', async () => {
    const failures: string[] = [];
    const heapBefore = process.memoryUsage().heapUsed;
    const fuzzed = routes.filter((route) => route.path !== '/api/events');
    for (const [routeIndex, route] of fuzzed.entries()) {
      const cases = fc.sample(
        fc.record({
          params: fc.array(pathValue, { minLength: 1, maxLength: 3 }),
          query,
          body: bodyFor(route.path),
          contentType,
          headers,
        }),
        { seed: SEED + routeIndex, numRuns: RUNS_PER_ROUTE },
      );
      // One route at a time keeps the simulator's work bounded; cases of a route run together.
      await Promise.all(
        cases.map(async (sample, index) => {
          const url = urlFor(route, sample.params, sample.query, index);
          const sendsBody = route.method !== 'GET' && route.method !== 'DELETE';
          const headerValues: Record<string, string> = {};
          // Half the cases carry the odd headers; the others reach the route's own checks.
          if (index % 2 === 1)
            for (const [name, value] of Object.entries(sample.headers))
              headerValues[name] = headerSafe(value);
          if (sendsBody && sample.contentType) headerValues['content-type'] = sample.contentType;
          try {
            const response = await request(`${env.url}${url}`, {
              method: route.method as 'GET',
              headers: headerValues,
              body: sendsBody ? sample.body : undefined,
              signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            });
            await response.body.text();
            sent += 1;
            statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
            if (response.statusCode === 200) answeredOk.add(`${route.method} ${route.path}`);
            if (response.statusCode >= 500)
              failures.push(
                `${route.method} ${url} ${sample.contentType} ${sample.body.slice(0, 200)} → ${response.statusCode}`,
              );
          } catch (error) {
            failures.push(`${route.method} ${url} → ${(error as Error).message}`);
          }
        }),
      );
    }
    const health = await fetch(`${env.url}/health`);
    expect(health.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    globalThis.gc?.();
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576;
    console.log(
      `fuzz: ${sent} requests over ${fuzzed.length} routes; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; heap growth ${heapGrowthMb.toFixed(1)} MB`,
    );
    expect(failures).toEqual([]);
    // The mutated templates get past the first checks: each protocol served some of them.
    for (const route of [
      'POST /v1/messages',
      'POST /v1/chat/completions',
      'POST /v1/responses',
      'POST /v1beta/models/*',
    ])
      expect([...answeredOk]).toContain(route);
    // The app shares this process: its heap after 1,000+ hostile requests stays in bounds.
    expect(heapGrowthMb).toBeLessThan(150);
  }, 240_000);
});
