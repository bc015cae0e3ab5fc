import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

const A = 'alice.pro@gmail.com';
let env: TestEnvironment;
let accountId: string;
beforeAll(async () => {
  env = await startTestEnvironment();
  [accountId] = (await env.importAccounts(A)) as [string];
});
afterAll(async () => {
  await env.close();
});

async function call(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
) {
  const response = await fetch(`${env.url}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the shape of its own protocol
    body: text ? (JSON.parse(text) as any) : undefined,
  };
}

const hello = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

describe('unknown models and upstream client errors', () => {
  it('an unknown model is 404 NOT_FOUND in the Gemini shape, on generate, stream and countTokens', async () => {
    for (const method of ['generateContent', 'streamGenerateContent?alt=sse', 'countTokens']) {
      const answer = await call('POST', `/v1beta/models/no-such-model:${method}`, { body: hello });
      expect(answer.status, method).toBe(404);
      expect(answer.body.error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
      expect(answer.body.error.message).toContain('no-such-model');
    }
    expect(env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent')).toHaveLength(0);
  });

  it('an unknown model is 404 in the OpenAI and Anthropic shapes on /v1', async () => {
    const openai = await call('GET', '/v1/models/no-such-model');
    expect(openai.status).toBe(404);
    expect(openai.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
    });
    const anthropic = await call('GET', '/v1/models/no-such-model', {
      headers: { 'anthropic-version': '2023-06-01' },
    });
    expect(anthropic.status).toBe(404);
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('an upstream 400 on countTokens is a 400 for the client, and the count goes through the engine and the log', async () => {
    const ok = await call('POST', '/v1beta/models/gemini-3-flash:countTokens', { body: hello });
    expect(ok.status).toBe(200);
    expect(ok.body.totalTokens).toBeGreaterThan(0);
    // A part field the public schema lets through but the upstream refuses.
    const refused = await call('POST', '/v1beta/models/gemini-3-flash:countTokens', {
      body: { contents: [{ role: 'user', parts: [{ text: 'hi', videoMetadata: { fps: 'fast' } }] }] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.status).toBe('INVALID_ARGUMENT');
    env.server.ctx.proxy.log.flush();
    const rows = env.server.ctx.proxy.log.recent(2);
    expect(rows.map((row) => [row.route, row.status])).toEqual([
      ['/v1beta/models/{model}:countTokens', 400],
      ['/v1beta/models/{model}:countTokens', 200],
    ]);
    expect(rows[1]!.attempts).toHaveLength(1);
  });

  it('Claude counts are estimated locally, since v1internal cannot count for Claude', async () => {
    const before = env.sim.requests.filter((r) => r.rpc === 'countTokens').length;
    const answer = await call('POST', '/v1beta/models/claude-sonnet-4-6:countTokens', { body: hello });
    expect(answer.status).toBe(200);
    expect(answer.body.totalTokens).toBeGreaterThan(0);
    expect(env.sim.requests.filter((r) => r.rpc === 'countTokens')).toHaveLength(before);
  });
});

describe('/v1 is shared by three protocols', () => {
  it('GET /v1/models answers in the caller’s shape', async () => {
    const openai = await call('GET', '/v1/models');
    expect(openai.body.object).toBe('list');
    expect(openai.body.data[0]).toMatchObject({ object: 'model', owned_by: expect.any(String) });
    const anthropic = await call('GET', '/v1/models', { headers: { 'anthropic-version': '2023-06-01' } });
    expect(anthropic.body).toMatchObject({ has_more: false, first_id: expect.any(String) });
    expect(anthropic.body.data[0]).toMatchObject({ type: 'model', display_name: expect.any(String) });
    const gemini = await call('GET', '/v1/models', { headers: { 'x-goog-api-key': 'k' } });
    expect(gemini.body.models[0].name).toMatch(/^models\//);
    const geminiBeta = await call('GET', '/v1beta/models');
    expect(geminiBeta.body.models.length).toBe(gemini.body.models.length);
  });

  it('an unknown route is a 404 in the shape of the protocol its path belongs to', async () => {
    const anthropic = await call('POST', '/v1/messages/nope', { body: {} });
    expect(anthropic.status).toBe(404);
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const openai = await call('POST', '/v1/nope', { body: {} });
    expect(openai.status).toBe(404);
    expect(openai.body.error).toMatchObject({ type: 'invalid_request_error', code: 'not_found' });
    const gemini = await call('POST', '/v1beta/nope', { body: {} });
    expect(gemini.status).toBe(404);
    expect(gemini.body.error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
  });

  it('Gemini calls under /v1 still work', async () => {
    const answer = await call('POST', '/v1/models/gemini-3-flash:generateContent', { body: hello });
    expect(answer.status).toBe(200);
    expect(answer.body.candidates[0].content.parts[0].text).toBeTruthy();
  });
});

describe('CORS', () => {
  const preflight = (path: string, origin = 'https://app.example') =>
    fetch(`${env.url}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, anthropic-version',
      },
    });

  it('a preflight on proxy routes is 204 with the CORS headers, before client auth', async () => {
    await env.server.ctx.settings.update({ proxy: { apiKeys: ['a-key-that-is-needed'] } });
    try {
      for (const path of [
        '/v1beta/models/gemini-3-flash:generateContent',
        '/v1/messages',
        '/v1/chat/completions',
      ]) {
        const answer = await preflight(path);
        expect(answer.status, path).toBe(204);
        expect(answer.headers.get('access-control-allow-origin')).toBe('*');
        expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
        expect(answer.headers.get('access-control-allow-headers')).toContain('authorization');
      }
      const real = await fetch(`${env.url}/v1beta/models`, { headers: { origin: 'https://app.example' } });
      expect(real.status).toBe(401);
      expect(real.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await env.server.ctx.settings.update({ proxy: { apiKeys: [] } });
    }
  });

  it('an admin preflight from a foreign origin gets no allow-origin', async () => {
    const answer = await preflight('/api/accounts');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${env.url}/api/accounts`, { headers: { origin: 'https://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('cooldowns in the admin API', () => {
  it('a cooldown parsed from quotaResetDelay "2h13m5.5s" alone shows in GET /api/accounts with its end time', async () => {
    env.sim.script(A, 'gemini-pro-agent', {
      kind: 'error',
      preset: 'quotaExhausted',
      retryDelay: null,
      quotaResetDelay: '2h13m5.5s',
      quotaResetTimeStamp: null,
    });
    const before = Date.now();
    const answer = await call('POST', '/v1beta/models/gemini-pro-agent:generateContent', { body: hello });
    expect(answer.status).toBe(429);
    const accounts = await call('GET', '/api/accounts');
    const account = accounts.body.accounts.find((candidate: { id: string }) => candidate.id === accountId);
    expect(account.cooldowns).toHaveLength(1);
    const [cooldown] = account.cooldowns;
    expect(cooldown).toMatchObject({ model: 'gemini-pro-agent', reason: 'quota_exhausted' });
    const expected = before + (2 * 3600 + 13 * 60 + 5.5) * 1000;
    expect(Math.abs(Date.parse(cooldown.until) - expected)).toBeLessThan(5000);
  });
});
