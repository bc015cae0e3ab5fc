import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsLayer } from '../../src/config/schema.ts';
import { startTestEnvironment, type GeminiAnswer, type TestEnvironment } from '../helpers/app.ts';

const A = 'alice.pro@gmail.com';
const MODEL = 'gemini-3-flash';
let env: TestEnvironment;
afterEach(async () => {
  await env?.close();
});

async function setup(emails: string[], settings: SettingsLayer = {}) {
  env = await startTestEnvironment({ settings });
  return env.importAccounts(...emails);
}

const body = (text: string) => JSON.stringify({ contents: [{ role: 'user', parts: [{ text }] }] });

/** Reads an SSE response event by event, as the SDK would, with the time each arrived. */
async function streamEvents(text: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const response = await fetch(`${env.url}/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body(text),
  });
  const raw = await response.text();
  const elapsed = performance.now() - started;
  expect(raw.endsWith('\r\n\r\n')).toBe(true);
  const events = raw
    .split('\r\n\r\n')
    .filter(Boolean)
    .map((event) => JSON.parse(event.replace(/^data: /, '')) as GeminiAnswer);
  return { status: response.status, events, elapsed };
}

describe('streams', () => {
  it('an upstream cut after 3 chunks gives the client the 3 chunks, then an error object', async () => {
    await setup([A]);
    env.sim.script(A, MODEL, { kind: 'cut', afterChunks: 3, text: 'one two three four five six' });
    const { status, events } = await streamEvents('cut');
    expect(status).toBe(200);
    expect(events.slice(0, 3).every((event) => event.candidates)).toBe(true);
    expect(events).toHaveLength(4);
    expect(events[3]!.error).toMatchObject({ code: expect.any(Number), status: expect.any(String) });
  });

  it('a stream that stalls after its first chunk ends with an error within the idle timeout + 1 s', async () => {
    await setup([A], { upstream: { idleTimeoutSeconds: 1 } });
    env.sim.script(A, MODEL, { kind: 'stall', afterChunks: 1, ms: 10_000, text: 'a b c d' });
    const { events, elapsed } = await streamEvents('stall');
    expect(events[0]!.candidates).toBeDefined();
    expect(events.at(-1)!.error.message).toMatch(/stalled/);
    expect(elapsed).toBeLessThan(2000 + 300);
  });

  it('a request of several MB (a long conversation) reaches the upstream whole and streams back', async () => {
    await setup([A]);
    const long = `start ${'ünïcödé words '.repeat(200_000)} end`;
    const { status, events } = await streamEvents(long);
    expect(status).toBe(200);
    expect(events.at(-1)!.candidates).toBeDefined();
    const sent = env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent').at(-1)!.body as {
      request: { contents: Array<{ parts: Array<{ text: string }> }> };
    };
    expect(sent.request.contents[0]!.parts[0]!.text).toBe(long);
  });

  it('a client abort reaches the simulator within 100 ms', async () => {
    await setup([A]);
    env.sim.script(A, MODEL, {
      kind: 'text',
      text: 'slow reply with many words in it',
      chunks: 6,
      chunkDelayMs: 400,
    });
    const url = new URL(`${env.url}/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
    let abortedAt = 0;
    await new Promise<void>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.once('data', () => {
          abortedAt = Date.now();
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.end(body('abort me'));
      setTimeout(() => reject(new Error('no data')), 5000);
    });
    let recorded: number | undefined;
    for (let i = 0; i < 50 && recorded === undefined; i++) {
      recorded = env.sim.requests.find((r) => r.rpc === 'streamGenerateContent' && r.aborted)?.abortedAt;
      if (recorded === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(recorded).toBeDefined();
    expect(recorded! - abortedAt).toBeLessThan(100);
  });
});

describe('scheduling', () => {
  it('sticky: 20 requests of one session hit one account with one upstream sessionId', async () => {
    await setup([A, 'bob.free@gmail.com', 'carol.ultra@gmail.com']);
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${env.url}/v1beta/models/${MODEL}:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-session-id': 'conversation-1' },
        body: body(`turn ${i}`),
      });
      expect(response.status).toBe(200);
    }
    const calls = env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent');
    expect(calls).toHaveLength(20);
    expect(new Set(calls.map((r) => r.account)).size).toBe(1);
    expect(
      new Set(calls.map((r) => (r.body as { request: { sessionId: string } }).request.sessionId)).size,
    ).toBe(1);
  });

  it('round-robin spreads 20 requests evenly over 4 accounts', async () => {
    await setup([A, 'bob.free@gmail.com', 'carol.ultra@gmail.com', 'dave.new@gmail.com'], {
      scheduling: { mode: 'round-robin' },
    });
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${env.url}/v1beta/models/${MODEL}:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-session-id': 'same' },
        body: body(`turn ${i}`),
      });
      expect(response.status).toBe(200);
    }
    const perAccount = new Map<string, number>();
    for (const r of env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent')) {
      perAccount.set(r.account!, (perAccount.get(r.account!) ?? 0) + 1);
    }
    expect([...perAccount.values()]).toEqual([5, 5, 5, 5]);
  });
});

describe('request log', () => {
  it('writes one row per request with mapped model, account, attempts, tokens and latency', async () => {
    await setup([A, 'bob.free@gmail.com'], { scheduling: { mode: 'current-first' } });
    const [a] = env.server.ctx.accounts.service
      .list()
      .filter((x) => x.email === A)
      .map((x) => x.id);
    await env.api('POST', `/api/accounts/${a}/current`);
    env.sim.script(A, 'gemini-pro-agent', { kind: 'error', preset: 'rateLimit', retryDelay: 30 });
    const response = await fetch(`${env.url}/v1beta/models/gemini-2.5-pro:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body('log me'),
    });
    expect(response.status).toBe(200);
    env.server.ctx.proxy.log.flush();
    const [row] = env.server.ctx.proxy.log.recent(1);
    expect(row).toMatchObject({
      protocol: 'gemini',
      requestedModel: 'gemini-2.5-pro',
      mappedModel: 'gemini-pro-agent',
      accountEmail: 'bob.free@gmail.com',
      status: 200,
      stream: false,
    });
    expect(row!.mappingRule).toBeTruthy();
    expect(row!.attempts.map((attempt) => [attempt.email, attempt.status])).toEqual([
      [A, 429],
      ['bob.free@gmail.com', 200],
    ]);
    expect(row!.inputTokens).toBeGreaterThan(0);
    expect(row!.outputTokens).toBeGreaterThan(0);
    expect(row!.latencyMs).toBeGreaterThanOrEqual(row!.firstByteMs!);
  });
});

describe('request log retention', () => {
  it('prunes rows past the retention age and beyond the row limit', async () => {
    await setup([A]);
    const log = env.server.ctx.proxy.log;
    const base = {
      protocol: 'gemini' as const,
      route: '/x',
      attempts: [],
      status: 200,
      latencyMs: 1,
      stream: false,
    };
    const now = Date.now();
    log.record({ ...base, createdAt: now - 10 * 86_400_000 });
    for (let i = 0; i < 5; i++) log.record({ ...base, createdAt: now - i });
    log.flush();
    log.prune(7, 3, now);
    const rows = log.recent(100);
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.createdAt > now - 86_400_000)).toBe(true);
  });
});

describe('background-task routing', () => {
  it('sends a tiny title request to the cheap model and marks it in the log; a normal request is left alone', async () => {
    await setup([A]);
    const send = (text: string, maxOutputTokens: number) =>
      fetch(`${env.url}/v1beta/models/gemini-pro-agent:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          contents: [{ role: 'user', parts: [{ text }] }],
          generationConfig: { maxOutputTokens },
        }),
      });
    expect(
      (await send('Write a short 5-10 word title for this conversation: fixing the login bug', 40)).status,
    ).toBe(200);
    expect((await send('Explain how the login flow works in this repository', 4000)).status).toBe(200);
    env.server.ctx.proxy.log.flush();
    const [normal, title] = env.server.ctx.proxy.log.recent(2);
    expect(title).toMatchObject({
      requestedModel: 'gemini-pro-agent',
      mappedModel: 'gemini-3-flash',
      routed: true,
    });
    expect(title!.mappingRule).toContain('background');
    expect(normal).toMatchObject({ mappedModel: 'gemini-pro-agent', routed: false });
    const models = env.sim.requests
      .filter((r) => r.rpc === 'streamGenerateContent')
      .map((r) => (r.body as { model: string }).model);
    expect(models).toEqual(['gemini-3-flash', 'gemini-pro-agent']);
  });
});

describe('last use', () => {
  it('is saved for the account that served, without a write per request', async () => {
    const [id] = await setup([A]);
    const response = await fetch(`${env.url}/v1beta/models/${MODEL}:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body('use'),
    });
    expect(response.status).toBe(200);
    const before = (await env.api<{ account: { lastUsedAt: string | null } }>('GET', `/api/accounts/${id}`))
      .body.account;
    expect(before.lastUsedAt).toBeNull();
    env.server.ctx.proxy.close();
    const after = (await env.api<{ account: { lastUsedAt: string | null } }>('GET', `/api/accounts/${id}`))
      .body.account;
    expect(after.lastUsedAt).not.toBeNull();
  });
});
