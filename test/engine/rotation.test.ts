import { GoogleGenAI } from '@google/genai';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsLayer } from '../../src/config/schema.ts';
import {
  startTestEnvironment,
  type GeminiAnswer,
  type TestEnvironment,
  expireAccessTokens,
} from '../helpers/app.ts';

const A = 'alice.pro@gmail.com';
const B = 'bob.free@gmail.com';
const MODEL = 'gemini-3-flash';

let env: TestEnvironment;
let offset = 0;
afterEach(async () => {
  await env?.close();
  offset = 0;
});

/** A pool of A (current, so tried first) and B, with a clock the test can move forward. */
async function setup(settings: SettingsLayer = {}) {
  env = await startTestEnvironment({
    settings: { scheduling: { mode: 'current-first' }, ...settings },
    now: () => Date.now() + offset,
  });
  const [a, b] = await env.importAccounts(A, B);
  await env.api('POST', `/api/accounts/${a}/current`);
  return { a: a!, b: b!, ai: new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: env.url } }) };
}

const generations = (email: string, model = MODEL) =>
  env.sim.requests.filter(
    (r) =>
      r.rpc === 'streamGenerateContent' &&
      r.account === email &&
      (r.body as { model?: string })?.model === model,
  );

async function raw(model: string, body: unknown = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) {
  const response = await fetch(`${env.url}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GeminiAnswer,
  };
}

describe('rotation and cooldowns', () => {
  it('a 429 with retryDelay 60s moves the request to B; A is skipped for that model only until the cooldown ends', async () => {
    const { ai } = await setup();
    env.sim.script(A, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 60 });
    const first = await ai.models.generateContent({ model: MODEL, contents: 'one' });
    expect(first.text).toBeTruthy();
    expect(generations(A)).toHaveLength(1);
    expect(generations(B)).toHaveLength(1);

    await ai.models.generateContent({ model: MODEL, contents: 'two' });
    expect(generations(A)).toHaveLength(1);
    expect(generations(B)).toHaveLength(2);

    await ai.models.generateContent({ model: 'gemini-pro-agent', contents: 'other model' });
    expect(generations(A, 'gemini-pro-agent')).toHaveLength(1);

    offset = 61_000;
    await ai.models.generateContent({ model: MODEL, contents: 'three' });
    expect(generations(A)).toHaveLength(2);
  });

  it('a 401 refreshes the token once and succeeds on the same account', async () => {
    const { ai } = await setup();
    const refreshesBefore = env.sim.counts.refreshGrantByEmail[A] ?? 0;
    env.sim.script(A, MODEL, { kind: 'error', preset: 'unauthenticated' });
    const answer = await ai.models.generateContent({ model: MODEL, contents: 'auth' });
    expect(answer.text).toBeTruthy();
    expect((env.sim.counts.refreshGrantByEmail[A] ?? 0) - refreshesBefore).toBe(1);
    expect(generations(A)).toHaveLength(2);
    expect(generations(B)).toHaveLength(0);
  });

  it('a revoked token marks the account needs_login and another account serves', async () => {
    const { a, ai } = await setup();
    env.sim.revokeRefreshToken(A);
    expireAccessTokens(env.server, 0, a);
    const answer = await ai.models.generateContent({ model: MODEL, contents: 'revoked' });
    expect(answer.text).toBeTruthy();
    expect(generations(B)).toHaveLength(1);
    const account = await env.api<{ account: { state: string } }>('GET', `/api/accounts/${a}`);
    expect(account.body.account.state).toBe('needs_login');
  });

  it('a capacity 503 is retried with backoff and cools nothing down', async () => {
    const { ai } = await setup();
    env.sim.script(A, MODEL, { kind: 'error', preset: 'capacity' });
    const started = performance.now();
    const answer = await ai.models.generateContent({ model: MODEL, contents: 'capacity' });
    expect(answer.text).toBeTruthy();
    expect(performance.now() - started).toBeGreaterThan(700);
    expect(generations(A)).toHaveLength(2);
    expect(env.server.ctx.proxy.pool.cooldowns()).toEqual([]);
  });

  it('a first byte later than the timeout on A is served by B in under timeout + 2 s', async () => {
    const { ai } = await setup({ upstream: { firstByteTimeoutSeconds: 1 } });
    env.sim.script(A, MODEL, { kind: 'text', text: 'late', firstByteDelayMs: 5000 });
    const started = performance.now();
    const answer = await ai.models.generateContent({ model: MODEL, contents: 'slow' });
    expect(answer.text).toBeTruthy();
    expect(performance.now() - started).toBeLessThan(3000);
    expect(generations(B)).toHaveLength(1);
  });

  it('an account cooling when the request came in, free again once the others failed, still gets its attempt', async () => {
    const { ai } = await setup();
    env.sim.script(A, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 60 });
    await ai.models.generateContent({ model: MODEL, contents: 'A cools for 60 s' });
    // B alone can serve when the request comes in; its connection is cut before the headers on
    // every host, slowly enough for A's cooldown to end meanwhile.
    for (let host = 0; host < 3; host++) {
      env.sim.script(B, MODEL, { kind: 'cut', afterChunks: 0, beforeHeaders: true, firstByteDelayMs: 150 });
    }
    const clock = setTimeout(() => (offset = 61_000), 50);
    const answer = await raw(MODEL);
    clearTimeout(clock);
    expect(answer.status).toBe(200);
    expect(generations(A)).toHaveLength(2);
  });

  it('all accounts rate limited → 429 whose retry-after is the earliest cooldown end', async () => {
    await setup();
    env.sim.script(A, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 90 });
    env.sim.script(B, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 40 });
    const answer = await raw(MODEL);
    expect(answer.status).toBe(429);
    expect(Math.abs(Number(answer.headers.get('retry-after')) - 40)).toBeLessThanOrEqual(1);
    expect(answer.body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(answer.body.error.message).toContain(MODEL);
  });

  it('all accounts disabled → 503', async () => {
    const { a, b } = await setup();
    await env.api('PATCH', `/api/accounts/${a}`, { enabled: false });
    await env.api('PATCH', `/api/accounts/${b}`, { enabled: false });
    const answer = await raw(MODEL);
    expect(answer.status).toBe(503);
    expect(answer.body.error.status).toBe('UNAVAILABLE');
  });

  it('falls back to the next base URL on a 5xx from one host, before rotating accounts', async () => {
    const { ai } = await setup();
    env.sim.failHost('sandbox', 503);
    const answer = await ai.models.generateContent({ model: MODEL, contents: 'fallback' });
    expect(answer.text).toBeTruthy();
    const calls = env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent');
    expect(calls.map((r) => r.alias)).toEqual(['sandbox', 'daily']);
    expect(calls[0]!.status).toBe(503);
    expect(calls[1]!.account).toBe(A);
  });

  it('a client error (400) is returned at once, not retried on another account', async () => {
    await setup();
    const answer = await raw(MODEL, {
      contents: [{ role: 'user', parts: [{ text: 'x' }] }],
      generationConfig: { maxOutputTokens: 10_000_000 },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.status).toBe('INVALID_ARGUMENT');
    expect(generations(B)).toHaveLength(0);
  });
});
