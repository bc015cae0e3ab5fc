import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  validateCountTokensRequest,
  validateGenerateContentRequest,
} from '../../../src/protocols/gemini/request-schema.ts';
import { startTestEnvironment, type TestEnvironment } from '../../helpers/app.ts';
import { sentBody } from './fuzz.fixtures.ts';

/**
 * Malformed bodies and odd paths against the real app wired to the simulator: no 5xx, every error
 * in Google's shape, nothing the request schema refuses reaches the upstream, the process survives.
 * Fixed seeds, so a failure reproduces; the failing cases are printed, not shrunk (each is a few
 * HTTP calls, shrinking would take minutes).
 */

const SEED = 20_261_205;
const BODY_RUNS = 520;
const PATH_RUNS = 160;

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
