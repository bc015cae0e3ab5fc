import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Counter,
  DURATION_BUCKETS,
  escapeLabelValue,
  MAX_MODEL_LABELS,
  METRICS_CONTENT_TYPE,
  ProxyMetrics,
} from '../../src/monitor/metrics.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

const A = 'alice.pro@gmail.com';
const MODEL = 'gemini-3-flash';
const hello = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
const PASSWORD = 'metrics password';

const LABEL = String.raw`[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"`;
const SAMPLE = new RegExp(
  String.raw`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(${LABEL}(?:,${LABEL})*)?\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$`,
);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the exposition; every non-comment line must be `name{labels} value`. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      if (line.startsWith('#')) expect(line).toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/);
      continue;
    }
    const match = SAMPLE.exec(line);
    expect(match, line).not.toBeNull();
    const labels: Record<string, string> = {};
    for (const pair of (match![2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: match![1]!, labels, value: Number(match![3]!.replace('Inf', 'Infinity')) });
  }
  return samples;
}

function find(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return find(samples, name, labels).reduce((sum, sample) => sum + sample.value, 0);
}

describe('GET /metrics', () => {
  let env: TestEnvironment;

  async function generate(model: string, stream = false): Promise<number> {
    const path = stream ? `${model}:streamGenerateContent?alt=sse` : `${model}:generateContent`;
    const response = await fetch(`${env.url}/v1beta/models/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hello),
    });
    await response.text();
    return response.status;
  }

  beforeAll(async () => {
    env = await startTestEnvironment();
    await env.importAccounts(A);
    expect(await generate(MODEL)).toBe(200);
    expect(await generate(MODEL)).toBe(200);
    expect(await generate(MODEL, true)).toBe(200);
    expect(await generate('no-such-model')).toBe(404);
    env.sim.script(A, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 60 });
    expect(await generate(MODEL)).toBe(429);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('serves the text format that parses, with request counters, the histogram and attempts', async () => {
    const response = await fetch(`${env.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(METRICS_CONTENT_TYPE);
    const text = await response.text();
    const samples = parse(text);
    expect(text).toContain('# TYPE bm_requests_total counter');
    expect(text).toContain('# TYPE bm_request_duration_seconds histogram');

    const ok = { protocol: 'gemini', model: MODEL, status: '200' };
    expect(total(samples, 'bm_requests_total', ok)).toBe(3);
    expect(find(samples, 'bm_requests_total', ok).every((sample) => sample.labels.route)).toBe(true);
    expect(
      total(samples, 'bm_requests_total', { protocol: 'gemini', model: 'no-such-model', status: '404' }),
    ).toBe(1);
    expect(total(samples, 'bm_requests_total', { model: MODEL, status: '429' })).toBe(1);
    expect(total(samples, 'bm_requests_total')).toBe(5);

    expect(total(samples, 'bm_request_duration_seconds_count', { protocol: 'gemini' })).toBe(5);
    const buckets = find(samples, 'bm_request_duration_seconds_bucket', { protocol: 'gemini' });
    expect(buckets.map((bucket) => bucket.labels.le)).toEqual([...DURATION_BUCKETS.map(String), '+Inf']);
    expect(buckets.at(-1)!.value).toBe(5);
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    expect(total(samples, 'bm_request_duration_seconds_sum', { protocol: 'gemini' })).toBeGreaterThan(0);

    expect(total(samples, 'bm_upstream_attempts_total', { outcome: 'ok' })).toBe(3);
    expect(total(samples, 'bm_upstream_attempts_total', { outcome: 'rate_limited' })).toBe(1);

    expect(total(samples, 'bm_open_streams')).toBe(0);
    expect(total(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    const start = total(samples, 'process_start_time_seconds');
    expect(start).toBeLessThanOrEqual(Date.now() / 1000);
    expect(start).toBeGreaterThan(Date.now() / 1000 - 24 * 3600);
  });

  it('reports account states and cooldowns per model at scrape time', async () => {
    const samples = parse(await (await fetch(`${env.url}/metrics`)).text());
    expect(total(samples, 'bm_accounts', { state: 'active' })).toBe(1);
    for (const state of ['disabled', 'needs_login', 'forbidden'])
      expect(total(samples, 'bm_accounts', { state })).toBe(0);
    expect(total(samples, 'bm_cooldowns', { model: MODEL })).toBe(1);
  });
});

describe('GET /metrics with an admin password', () => {
  let env: TestEnvironment;
  afterEach(async () => {
    await env?.close();
  });

  it('refuses an unauthenticated scrape and serves a Bearer one', async () => {
    env = await startTestEnvironment({ settings: { server: { adminPassword: PASSWORD } } });
    const refused = await fetch(`${env.url}/metrics`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await fetch(`${env.url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(
      401,
    );
    const allowed = await fetch(`${env.url}/metrics`, { headers: { authorization: `Bearer ${PASSWORD}` } });
    expect(allowed.status).toBe(200);
    expect(parse(await allowed.text()).length).toBeGreaterThan(0);
  });
});

describe('bm_open_streams', () => {
  let env: TestEnvironment;
  afterEach(async () => {
    await env?.close();
  });

  it('counts a stream while it is relayed and drops it when the client goes away', async () => {
    env = await startTestEnvironment();
    await env.importAccounts(A);
    const text = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    env.sim.script(A, MODEL, { kind: 'text', text, chunkDelayMs: 200 });
    const scrape = async () =>
      total(parse(await (await fetch(`${env.url}/metrics`)).text()), 'bm_open_streams');
    const client = new AbortController();
    const response = await fetch(`${env.url}/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hello),
      signal: client.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    expect(await scrape()).toBe(1);
    client.abort();
    await expect.poll(scrape, { timeout: 5000 }).toBe(0);
  });
});

describe('ProxyMetrics', () => {
  it('folds models past the label limit into other, and escapes label values', () => {
    const metrics = new ProxyMetrics();
    for (let i = 0; i < MAX_MODEL_LABELS + 20; i++)
      metrics.recordRequest('openai', 'chat', `junk-${i}`, 404, 3, []);
    metrics.recordRequest('openai', 'chat', 'junk-0', 404, 3, []);
    const samples = parse(metrics.render());
    const models = new Set(find(samples, 'bm_requests_total').map((sample) => sample.labels.model));
    expect(models.size).toBe(MAX_MODEL_LABELS + 1);
    expect(total(samples, 'bm_requests_total', { model: 'other' })).toBe(20);
    expect(total(samples, 'bm_requests_total', { model: 'junk-0' })).toBe(2);

    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    const counter = new Counter('t_total', 'test', ['x']);
    counter.inc(['quote " slash \\ line \n end']);
    expect(parse(counter.render())[0]!.labels.x).toBe('quote " slash \\ line \n end');
  });

  it('counts open streams up and down', () => {
    const metrics = new ProxyMetrics();
    metrics.streamOpened();
    metrics.streamOpened();
    metrics.streamClosed();
    expect(total(parse(metrics.render()), 'bm_open_streams')).toBe(1);
  });
});
