import { request as httpRequest } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpstreamChunk } from '../../src/google/generate-client.ts';
import { invalidRequest, type GenerateAdapter } from '../../src/proxy/adapter.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

/**
 * A protocol of this test's own, as small as an adapter can be: it only translates. Everything
 * else these tests see — auth, abort, backpressure, the log row, the error path — must therefore
 * come from the pipeline.
 */
interface EchoBody {
  model: string;
  text: string;
  stream: boolean;
}

const textOf = (chunk: UpstreamChunk) =>
  (chunk.response?.candidates?.[0]?.content?.parts ?? [])
    .map((part) => (typeof part.text === 'string' && !part.thought ? part.text : ''))
    .join('');

function echoAdapter(
  eventPadding = 0,
  onEvent: () => void = () => {},
  keepAlive?: { everyMs: number; text: string },
): GenerateAdapter<EchoBody> {
  return {
    protocol: 'openai',
    route: '/test/echo',
    parse(input) {
      const body = input.body as Partial<EchoBody> | undefined;
      if (typeof body?.text !== 'string' || typeof body.model !== 'string')
        return invalidRequest('text and model are required');
      return {
        model: body.model,
        stream: body.stream === true,
        body: body as EchoBody,
        session: { firstUserText: body.text },
        features: { systemTexts: [], userTexts: [body.text], toolCount: 0 },
      };
    },
    toUpstream: (body) => ({ request: { contents: [{ role: 'user', parts: [{ text: body.text }] }] } }),
    responder: () => ({
      contentType: 'text/plain',
      event(chunk) {
        onEvent();
        return `${textOf(chunk)}${'.'.repeat(eventPadding)}\n`;
      },
      close: () => 'END\n',
      fail: (error) => `FAIL ${error.status} ${error.code}\n`,
      assemble: (chunks) => ({ text: chunks.map(textOf).join('') }),
      ...(keepAlive ? { keepAlive } : {}),
    }),
    error: (error) => ({ status: error.status, body: { echoError: error.code, message: error.message } }),
  };
}

const A = 'alice.pro@gmail.com';
const B = 'bob.free@gmail.com';
const MODEL = 'gemini-3-flash';
const KEY = 'test-client-key-123456';

let env: TestEnvironment;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  await env?.close();
});

/** The real app's pipeline (engine, pool, log) behind a route of the test's own protocol. */
async function setup(adapter = echoAdapter()): Promise<string> {
  env = await startTestEnvironment({ settings: { proxy: { apiKeys: [KEY] } } });
  await env.importAccounts(A, B);
  const pipeline = env.server.ctx.proxy.pipeline;
  app = Fastify();
  app.addHook('onRequest', pipeline.authHook(adapter.error));
  app.post('/echo', (request, reply) => pipeline.generate(adapter, request, reply));
  return app.listen({ port: 0, host: '127.0.0.1' });
}

async function echo(base: string, body: unknown, key: string | null = KEY) {
  const response = await fetch(`${base}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function lastLogRow() {
  env.server.ctx.proxy.log.flush();
  return env.server.ctx.proxy.log.recent(1)[0]!;
}

describe('the exchange pipeline, seen through a minimal adapter', () => {
  it('checks the client key and answers in the adapter’s shape', async () => {
    const base = await setup();
    const refused = await echo(base, { model: MODEL, text: 'hi' }, null);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text)).toMatchObject({ echoError: 'unauthorized' });
    const wrong = await echo(base, { model: MODEL, text: 'hi' }, 'not-the-key');
    expect(wrong.status).toBe(401);
    expect(env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent')).toHaveLength(0);
  });

  it('writes one log row per exchange, with the adapter’s protocol and route, the model, account and tokens', async () => {
    const base = await setup();
    const answer = await echo(base, { model: MODEL, text: 'log me please' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).text).toContain('log me please');
    const row = lastLogRow();
    expect(row).toMatchObject({
      protocol: 'openai',
      route: '/test/echo',
      requestedModel: MODEL,
      mappedModel: MODEL,
      status: 200,
      stream: false,
    });
    expect([A, B]).toContain(row.accountEmail);
    expect(row.clientKey).not.toBe(KEY);
    expect(row.inputTokens).toBeGreaterThan(0);
    expect(row.outputTokens).toBeGreaterThan(0);
    expect(row.sessionHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('takes every error path through the adapter’s error shape, with retry-after where it applies', async () => {
    const base = await setup();
    const bad = await echo(base, { model: MODEL });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ echoError: 'invalid_request' });

    const unknown = await echo(base, { model: 'no-such-model', text: 'hi' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ echoError: 'not_found' });
    expect(lastLogRow()).toMatchObject({
      status: 404,
      requestedModel: 'no-such-model',
      errorClass: 'not_found',
    });

    env.sim.script(A, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 90 });
    env.sim.script(B, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 90 });
    const limited = await echo(base, { model: MODEL, text: 'hi' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(80);
    expect(JSON.parse(limited.text)).toMatchObject({ echoError: 'rate_limited' });
    expect(lastLogRow().attempts).toHaveLength(2);

    // After the first byte, a failure is the adapter's error event.
    env.sim.script(A, 'gemini-pro-agent', { kind: 'cut', afterChunks: 2, text: 'a b c d e f g h i j' });
    env.sim.script(B, 'gemini-pro-agent', { kind: 'cut', afterChunks: 2, text: 'a b c d e f g h i j' });
    const cut = await echo(base, { model: 'gemini-pro-agent', text: 'x', stream: true });
    expect(cut.status).toBe(200);
    expect(cut.text.trim().split('\n').at(-1)).toBe('FAIL 502 upstream_cut');
    expect(lastLogRow()).toMatchObject({ status: 502, stream: true, errorClass: 'upstream_cut' });
  });

  it('aborts the upstream request as soon as the client goes away', async () => {
    const base = await setup();
    const text = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
    env.sim.script(A, MODEL, { kind: 'text', text, chunks: 20, chunkDelayMs: 200 });
    env.sim.script(B, MODEL, { kind: 'text', text, chunks: 20, chunkDelayMs: 200 });
    const controller = new AbortController();
    const response = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: MODEL, text: 'long one', stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    const abortedAt = Date.now();
    controller.abort();
    await expect
      .poll(() => env.sim.requests.find((r) => r.rpc === 'streamGenerateContent')?.aborted)
      .toBe(true);
    const upstream = env.sim.requests.find((r) => r.rpc === 'streamGenerateContent')!;
    expect(upstream.abortedAt! - abortedAt).toBeLessThan(1000);
    await expect.poll(() => lastLogRow().status).toBe(499);
  });

  it('reads the upstream no faster than the client takes the bytes (backpressure)', async () => {
    let events = 0;
    const base = await setup(echoAdapter(256 * 1024, () => events++));
    const text = Array.from({ length: 400 }, (_, index) => `w${index}`).join(' ');
    env.sim.script(A, MODEL, { kind: 'text', text, chunks: 150 });
    env.sim.script(B, MODEL, { kind: 'text', text, chunks: 150 });
    const url = new URL(`${base}/echo`);
    const body = JSON.stringify({ model: MODEL, text: 'big', stream: true });
    const received = await new Promise<{ bytes: number; eventsWhilePaused: number }>((resolve, reject) => {
      const client = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        },
        (response) => {
          response.pause();
          setTimeout(() => {
            const eventsWhilePaused = events;
            let bytes = 0;
            response.on('data', (chunk: Buffer) => (bytes += chunk.length));
            response.on('end', () => resolve({ bytes, eventsWhilePaused }));
            response.resume();
          }, 1500);
        },
      );
      client.on('error', reject);
      client.end(body);
    });
    // 150 events of 256 KB would be ~38 MB in memory; a paused client holds the relay to a few socket buffers.
    expect(received.eventsWhilePaused).toBeLessThan(40);
    expect(events).toBeGreaterThanOrEqual(100);
    expect(received.bytes).toBeGreaterThan(events * 256 * 1024);
    expect(lastLogRow()).toMatchObject({ status: 200, stream: true });
  });

  it('writes the adapter’s keep-alive while the upstream is silent, and none while events flow', async () => {
    const base = await setup(echoAdapter(0, () => {}, { everyMs: 100, text: 'PING\n' }));
    for (const email of [A, B])
      env.sim.script(email, MODEL, {
        kind: 'stall',
        afterChunks: 1,
        ms: 700,
        text: 'alpha beta gamma delta',
      });
    const answer = await echo(base, { model: MODEL, text: 'slow', stream: true });
    const lines = answer.text.trim().split('\n');
    const pings = lines.filter((line) => line === 'PING').length;
    expect(pings).toBeGreaterThanOrEqual(4);
    expect(pings).toBeLessThanOrEqual(8);
    expect(lines.at(-1)).toBe('END');
  });
});
