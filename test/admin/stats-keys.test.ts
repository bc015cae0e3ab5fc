import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredLogRow } from '../../src/monitor/request-log.ts';
import type { StatsReport } from '../../src/monitor/stats.ts';
import type { UsageReport } from '../../src/monitor/usage.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

const A = 'alice.pro@gmail.com';
const ENV_KEY = 'env-configured-key-0001';
const ENV_KEY_ID = `env:${createHash('sha256').update(ENV_KEY).digest('hex').slice(0, 6)}`;

let env: TestEnvironment;
let accountId: string;
let ci: { id: string; key: string; label: string };

async function generate(key: string, model = 'gemini-3-flash'): Promise<number> {
  const response = await fetch(`${env.url}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  });
  await response.text();
  return response.status;
}

beforeAll(async () => {
  env = await startTestEnvironment({ settings: { proxy: { apiKeys: [ENV_KEY] } } });
  [accountId] = (await env.importAccounts(A)) as [string];
  const created = await env.api<{ id: string; key: string; label: string }>('POST', '/api/proxy/keys', {
    label: 'CI runner',
  });
  expect(created.status).toBe(201);
  ci = created.body;
  expect(await generate(ci.key)).toBe(200);
  expect(await generate(ci.key)).toBe(200);
  expect(await generate(ci.key, 'no-such-model')).toBe(404);
  expect(await generate(ENV_KEY)).toBe(200);
  expect(await generate('bm-not-a-key-at-all')).toBe(401);
  env.server.ctx.proxy.log.flush();
}, 30_000);
afterAll(async () => {
  await env?.close();
});

describe('requests carry the id of the key that let them in', () => {
  it('the log row has key_id; GET /api/logs?key= takes the id or the masked key', async () => {
    const byId = await env.api<{ logs: StoredLogRow[] }>('GET', `/api/logs?key=${ci.id}`);
    expect(byId.body.logs).toHaveLength(3);
    expect(byId.body.logs.every((row) => row.keyId === ci.id)).toBe(true);
    const masked = byId.body.logs[0]!.clientKey!;
    expect(masked).not.toContain(ci.key.slice(6, -2));
    const byMasked = await env.api<{ logs: StoredLogRow[] }>(
      'GET',
      `/api/logs?key=${encodeURIComponent(masked)}`,
    );
    expect(byMasked.body.logs.map((row) => row.id)).toEqual(byId.body.logs.map((row) => row.id));
    const fromEnv = await env.api<{ logs: StoredLogRow[] }>('GET', `/api/logs?key=${ENV_KEY_ID}`);
    expect(fromEnv.body.logs).toHaveLength(1);
    // The CSV names the key id too.
    const csv = await (await fetch(`${env.url}/api/logs.csv?key=${ENV_KEY_ID}`)).text();
    const [header, line] = csv.split('\r\n').map((row) => row.split(','));
    expect(line![header!.indexOf('key_id')]).toBe(ENV_KEY_ID);
  });

  it('/api/stats byKey rows are {keyId, label, key, ...counters}; a revoked key keeps its label', async () => {
    expect((await env.api('DELETE', `/api/proxy/keys/${ci.id}`)).status).toBe(204);
    const { body } = await env.api<StatsReport>('GET', '/api/stats?window=1h');
    expect(body.byKey).toEqual([
      expect.objectContaining({ keyId: ci.id, label: 'CI runner', requests: 3, errors: 1 }),
      expect.objectContaining({ keyId: ENV_KEY_ID, label: 'from environment', key: 'env-…01', requests: 1 }),
    ]);
    expect(body.byKey[0]!.key).toMatch(/^bm-.…..$/);
    // The 401 was never a proxied request of any key.
    expect(body.totals.requests).toBe(4);
  });
});

describe('GET /api/usage and /api/usage.csv', () => {
  it('per key, model and account, in hours and days, with cached tokens', async () => {
    const logged = env.server.ctx.store
      .prepare(
        'SELECT SUM(input_tokens) AS input, SUM(COALESCE(cached_tokens, 0)) AS cached FROM request_logs',
      )
      .get() as { input: number; cached: number };
    const byKey = await env.api<UsageReport>('GET', '/api/usage?window=24h&by=key&bucket=hour');
    expect(byKey.status).toBe(200);
    expect(byKey.body).toMatchObject({ window: '24h', by: 'key', bucket: 'hour' });
    expect(byKey.body.buckets).toHaveLength(24);
    expect(byKey.body.totals).toEqual([
      expect.objectContaining({ group: ci.id, label: 'CI runner', requests: 3, errors: 1 }),
      expect.objectContaining({ group: ENV_KEY_ID, label: 'from environment', requests: 1, errors: 0 }),
    ]);
    const tokens = byKey.body.totals.reduce((sum, total) => sum + total.tokens.input, 0);
    expect(tokens).toBe(logged.input);
    expect(byKey.body.totals.reduce((sum, total) => sum + total.tokens.cached, 0)).toBe(logged.cached);
    expect(byKey.body.rows.every((row) => byKey.body.buckets.includes(row.start))).toBe(true);

    const byModel = await env.api<UsageReport>('GET', '/api/usage?window=7d&by=model&bucket=day');
    expect(byModel.body.totals.map((total) => [total.group, total.requests])).toEqual([
      ['gemini-3-flash', 3],
      ['no-such-model', 1],
    ]);
    const byAccount = await env.api<UsageReport>(
      'GET',
      '/api/usage?window=30d&by=account&bucket=day&tzOffset=480',
    );
    expect(byAccount.body.totals).toEqual([
      expect.objectContaining({ group: accountId, label: A, requests: 3 }),
      expect.objectContaining({ group: null, label: null, requests: 1 }),
    ]);
    expect(byAccount.body.buckets.length).toBeGreaterThanOrEqual(30);
  });

  it('the CSV is the same query as an attachment with a header row', async () => {
    const response = await fetch(`${env.url}/api/usage.csv?window=24h&by=key&bucket=day`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="better-manager-usage-key-24h-.+\.csv"$/,
    );
    const lines = (await response.text()).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'start,group,label,requests,errors,input_tokens,output_tokens,thinking_tokens,cached_tokens',
    );
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows.map((row) => [row[1], row[2], row[3], row[4]])).toEqual(
      expect.arrayContaining([
        [ci.id, 'CI runner', '3', '1'],
        [ENV_KEY_ID, 'from environment', '1', '0'],
      ]),
    );
  });

  it('refuses an unknown window, grouping, bucket or field in words', async () => {
    for (const query of ['window=1y', 'by=protocol', 'bucket=minute', 'tzOffset=5000', 'x=1']) {
      const answer = await env.api<{ error: { code: string; message: string } }>(
        'GET',
        `/api/usage?${query}`,
      );
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    }
    const csv = await fetch(`${env.url}/api/usage.csv?by=nothing`);
    expect(csv.status).toBe(400);
  });
});
