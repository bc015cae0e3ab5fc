import { afterEach, describe, expect, it } from 'vitest';
import { startTestEnvironment, type GeminiAnswer, type TestEnvironment } from '../helpers/app.ts';

const A = 'alice.pro@gmail.com';
const B = 'bob.free@gmail.com';
const MODEL = 'gemini-3-flash';

let env: TestEnvironment;
afterEach(async () => {
  await env?.close();
});

/** A (current, so tried first) and B. */
async function setup() {
  env = await startTestEnvironment({ settings: { scheduling: { mode: 'current-first' } } });
  const [a, b] = await env.importAccounts(A, B);
  await env.api('POST', `/api/accounts/${a}/current`);
  return { a: a!, b: b! };
}

async function generate(method = 'generateContent', query = '') {
  const response = await fetch(`${env.url}/v1beta/models/${MODEL}:${method}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello there' }] }] }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const calls = (email: string) =>
  env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent' && r.account === email);

describe('retries where the client has seen nothing yet', () => {
  it('a non-stream request whose upstream stream is cut after two chunks on A is answered 200 from B', async () => {
    await setup();
    env.sim.script(A, MODEL, { kind: 'cut', afterChunks: 2, text: 'one two three four five six seven' });
    const answer = await generate();
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as GeminiAnswer;
    expect(body.candidates?.[0]?.content?.parts?.map((part) => part.text).join('')).toContain('hello there');
    expect(calls(A)).toHaveLength(1);
    expect(calls(B)).toHaveLength(1);
    env.server.ctx.proxy.log.flush();
    const [row] = env.server.ctx.proxy.log.recent(1);
    expect(row!.status).toBe(200);
    expect(row!.attempts.map((attempt) => attempt.status)).toEqual([502, 200]);
  });

  it('a stalled non-stream upstream is retried on the next account too', async () => {
    env = await startTestEnvironment({
      settings: { scheduling: { mode: 'current-first' }, upstream: { idleTimeoutSeconds: 1 } },
    });
    const [a] = await env.importAccounts(A, B);
    await env.api('POST', `/api/accounts/${a}/current`);
    env.sim.script(A, MODEL, {
      kind: 'stall',
      afterChunks: 2,
      ms: 5000,
      text: 'one two three four five six',
    });
    const answer = await generate();
    expect(answer.status).toBe(200);
    expect(calls(B)).toHaveLength(1);
  });

  it('a streaming client keeps the rule: after its first byte, a cut ends the stream with an error event', async () => {
    await setup();
    env.sim.script(A, MODEL, { kind: 'cut', afterChunks: 2, text: 'one two three four five six seven' });
    const answer = await generate('streamGenerateContent', '?alt=sse');
    expect(answer.status).toBe(200);
    const events = answer.text.trim().split(/\r?\n\r?\n/);
    expect(JSON.parse(events.at(-1)!.slice('data: '.length))).toMatchObject({ error: { code: 502 } });
    expect(calls(B)).toHaveLength(0);
  });

  it('with every account rate-limited for 3 s, the request waits and is answered 200', async () => {
    await setup();
    env.sim.script(A, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 3 });
    env.sim.script(B, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 3 });
    const started = performance.now();
    const answer = await generate();
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThan(2500);
    // Later requests that find every account cooling wait as well, instead of a 429 at once.
    env.sim.script(A, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 2 });
    env.sim.script(B, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 2 });
    const [first, second] = await Promise.all([generate(), generate()]);
    expect([first.status, second.status]).toEqual([200, 200]);
  });

  it('with every account limited for 60 s, the answer is 429 with retry-after', async () => {
    await setup();
    env.sim.script(A, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 60 });
    env.sim.script(B, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 60 });
    const started = performance.now();
    const answer = await generate();
    expect(answer.status).toBe(429);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(Math.abs(Number(answer.headers.get('retry-after')) - 60)).toBeLessThanOrEqual(1);
    expect((JSON.parse(answer.text) as GeminiAnswer).error.status).toBe('RESOURCE_EXHAUSTED');
  });
});
