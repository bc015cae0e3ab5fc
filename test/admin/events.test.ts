import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsRoutes } from '../../src/admin/events-routes.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

const A = 'alice.pro@gmail.com';
const MODEL = 'gemini-3-flash';

let env: TestEnvironment;
afterEach(async () => {
  await env?.close();
});

interface SseEvent {
  event: string;
  data: unknown;
}

/** An open /api/events stream that collects what arrives. */
async function openEvents(headers: Record<string, string> = {}, url = `${env.url}/api/events`) {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  let raw = '';
  const reading = (async () => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        const chunk = decoder.decode(value, { stream: true });
        raw += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  const waitFor = async (predicate: (event: SseEvent) => boolean, ms = 1000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const found = events.find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`);
  };
  const close = async () => {
    abort.abort();
    await reading;
  };
  return { response, events, waitFor, close, raw: () => raw };
}

function listenerCounts() {
  const { ctx } = env.server;
  return {
    rows: (ctx.proxy.log as unknown as { listeners: Set<unknown> }).listeners.size,
    changed: ctx.accounts.service.listenerCount('changed'),
    state: ctx.accounts.service.listenerCount('state'),
    config: ctx.settings.listenerCount('change'),
    cooldown: ctx.proxy.cooldownChanges.listenerCount('change'),
  };
}

async function generate(model = MODEL) {
  const response = await fetch(`${env.url}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  });
  await response.text();
  return response.status;
}

async function until(check: () => boolean, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('GET /api/events', () => {
  it('is an event stream with the SSE headers', async () => {
    env = await startTestEnvironment();
    const stream = await openEvents();
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('cache-control')).toBe('no-cache');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');
    await stream.close();
  });

  it('sends each new log row within a second of a proxied request', async () => {
    env = await startTestEnvironment();
    const [id] = await env.importAccounts(A);
    const stream = await openEvents();
    const response = await fetch(`${env.url}/v1beta/models/gemini-3-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(response.status).toBe(200);
    await response.text();
    const event = await stream.waitFor((e) => e.event === 'log', 1000);
    expect(event.data).toMatchObject({
      accountId: id,
      accountEmail: A,
      status: 200,
      requestedModel: 'gemini-3-flash',
    });
    expect(typeof (event.data as { id: number }).id).toBe('number');
    await stream.close();
  });

  it('announces account changes and settings changes (without their values)', async () => {
    env = await startTestEnvironment();
    const [id] = await env.importAccounts(A);
    const stream = await openEvents();
    expect((await env.api('PATCH', `/api/accounts/${id}`, { label: 'renamed' })).status).toBe(200);
    expect((await stream.waitFor((e) => e.event === 'account')).data).toEqual({ id });

    env.server.ctx.accounts.service.emit('state', id!, 'forbidden');
    await stream.waitFor(
      (e) => e.event === 'account' && (e.data as { state?: string }).state === 'forbidden',
    );

    const put = await env.api('PUT', '/api/config', { scheduling: { mode: 'round-robin' } });
    expect(put.status).toBe(200);
    const config = await stream.waitFor((e) => e.event === 'config');
    expect(config.data).toEqual({ changed: true, keys: ['scheduling'] });
    await stream.close();
  });

  it('removes its listeners when the client disconnects', async () => {
    env = await startTestEnvironment();
    const before = listenerCounts();
    const first = await openEvents();
    const second = await openEvents();
    await until(() => listenerCounts().config === before.config + 2);
    expect(listenerCounts()).toEqual({
      rows: before.rows + 2,
      changed: before.changed + 2,
      state: before.state + 2,
      config: before.config + 2,
      // One feed serves every client: the runtime gets one listener while any is open.
      cooldown: before.cooldown + 1,
    });
    await first.close();
    await until(() => listenerCounts().config === before.config + 1);
    await second.close();
    await until(() => listenerCounts().config === before.config);
    expect(listenerCounts()).toEqual(before);
  });

  it('sends a cooldown event when a 429 cools an account for a model, and another when it ends', async () => {
    env = await startTestEnvironment();
    const [a] = await env.importAccounts(A);
    const stream = await openEvents();
    env.sim.script(A, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 1 });
    const started = Date.now();
    // The only account cools down for a second.
    const answered = generate();
    const start = await stream.waitFor(
      (e) => e.event === 'cooldown' && (e.data as { accountId: string }).accountId === a,
    );
    expect(start.data).toEqual({
      accountId: a,
      model: MODEL,
      until: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      reason: 'rate_limited',
    });
    const until = Date.parse((start.data as { until: string }).until);
    expect(until).toBeGreaterThanOrEqual(started + 1000);
    expect(until).toBeLessThan(Date.now() + 1500);

    const end = await stream.waitFor(
      (e) =>
        e.event === 'cooldown' &&
        (e.data as { accountId: string }).accountId === a &&
        (e.data as { until: unknown }).until === null,
      3000,
    );
    expect(end.data).toEqual({ accountId: a, model: MODEL, until: null });
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    await answered;
    await stream.close();
  });

  it('ends the cooldowns of a deleted account at once', async () => {
    env = await startTestEnvironment();
    const [a] = await env.importAccounts(A);
    const stream = await openEvents();
    env.sim.script(A, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 600 });
    expect(await generate()).toBe(429);
    await stream.waitFor((e) => e.event === 'cooldown');
    expect((await env.api('DELETE', `/api/accounts/${a}`)).status).toBe(204);
    const end = await stream.waitFor(
      (e) => e.event === 'cooldown' && (e.data as { until: unknown }).until === null,
    );
    expect(end.data).toEqual({ accountId: a, model: MODEL, until: null });
    await stream.close();
  });

  it('announces a quota refresh as an account change', async () => {
    env = await startTestEnvironment();
    const [a] = await env.importAccounts(A);
    const stream = await openEvents();
    expect((await env.api('POST', `/api/accounts/${a}/refresh`)).status).toBe(200);
    expect((await stream.waitFor((e) => e.event === 'account')).data).toEqual({ id: a });
    await stream.close();
  });

  it('sends the ": ping" heartbeat on its interval', async () => {
    env = await startTestEnvironment();
    // The real route with the running app's context, on its own server with a short interval.
    const app = Fastify();
    await app.register(eventsRoutes(env.server.ctx, { heartbeatMs: 50 }), { prefix: '/api' });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const stream = await openEvents({}, `${address}/api/events`);
      const deadline = Date.now() + 2000;
      while (!stream.raw().includes(': ping\n\n') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(stream.raw()).toContain(': ping\n\n');
      await stream.close();
    } finally {
      await app.close();
    }
  });

  it('is behind the admin auth', async () => {
    env = await startTestEnvironment({ settings: { server: { adminPassword: 'correct horse battery' } } });
    const denied = await fetch(`${env.url}/api/events`);
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBeTruthy();
    const stream = await openEvents({ authorization: 'Bearer correct horse battery' });
    expect(stream.response.status).toBe(200);
    await stream.close();
  });
});
