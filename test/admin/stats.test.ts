import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsReport } from '../../src/monitor/stats.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

const A = 'alice.pro@gmail.com';
const hello = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
let env: TestEnvironment;
let accountId: string;

async function generate(model: string): Promise<number> {
  const response = await fetch(`${env.url}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(hello),
  });
  await response.text();
  return response.status;
}

beforeAll(async () => {
  env = await startTestEnvironment();
  [accountId] = (await env.importAccounts(A)) as [string];
  expect(await generate('gemini-3-flash')).toBe(200);
  expect(await generate('gemini-3-flash')).toBe(200);
  expect(await generate('gemini-3-flash')).toBe(200);
  expect(await generate('no-such-model')).toBe(404);
  env.server.ctx.proxy.log.flush();
});
afterAll(async () => {
  await env.close();
});

describe('GET /api/stats', () => {
  it('totals, by model, by account, by key and a series agree with the logged requests', async () => {
    const logged = env.server.ctx.store
      .prepare(
        `SELECT COUNT(*) AS requests, SUM(input_tokens) AS input, SUM(output_tokens) AS output,
           SUM(COALESCE(thinking_tokens, 0)) AS thinking, SUM(COALESCE(cached_tokens, 0)) AS cached
         FROM request_logs`,
      )
      .get() as { requests: number; input: number; output: number; thinking: number; cached: number };
    expect(logged.requests).toBe(4);
    expect(logged.input).toBeGreaterThan(0);

    for (const window of ['1h', '24h', '7d'] as const) {
      const { status, body } = await env.api<StatsReport>('GET', `/api/stats?window=${window}`);
      expect(status, window).toBe(200);
      expect(body.window).toBe(window);
      expect(body.totals).toMatchObject({
        requests: 4,
        errors: 1,
        errorRate: 0.25,
        tokens: {
          input: logged.input,
          output: logged.output,
          thinking: logged.thinking,
          cached: logged.cached,
        },
      });
      const { p50, p95, p99 } = body.totals.latencyMs;
      expect(p50).not.toBeNull();
      expect(p50!).toBeLessThanOrEqual(p95!);
      expect(p95!).toBeLessThanOrEqual(p99!);

      expect(body.byModel).toHaveLength(2);
      expect(body.byModel[0]).toMatchObject({
        model: 'gemini-3-flash',
        requests: 3,
        errors: 0,
        errorRate: 0,
      });
      expect(body.byModel[1]).toMatchObject({ model: 'no-such-model', requests: 1, errors: 1, errorRate: 1 });
      expect(body.byModel[1]!.tokens).toEqual({ input: 0, output: 0, thinking: 0, cached: 0 });

      // The failed request never reached an account.
      expect(body.byAccount).toEqual([
        expect.objectContaining({ accountId, email: A, requests: 3, errors: 0 }),
        expect.objectContaining({ accountId: null, email: null, requests: 1, errors: 1 }),
      ]);
      // No client key is configured: every request is keyless.
      expect(body.byKey).toEqual([expect.objectContaining({ key: null, requests: 4, errors: 1 })]);

      const expected = { '1h': [60, 60_000], '24h': [96, 900_000], '7d': [168, 3_600_000] }[window];
      expect(body.series).toHaveLength(expected[0]!);
      expect(body.bucketMs).toBe(expected[1]);
      expect(body.series.reduce((sum, point) => sum + point.requests, 0)).toBe(4);
      expect(body.series.reduce((sum, point) => sum + point.errors, 0)).toBe(1);
      const last = body.series.at(-1)!;
      expect(Date.parse(last.start)).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(last.start) + body.bucketMs).toBeGreaterThan(Date.now() - 60_000);
      const busy = body.series.filter((point) => point.requests > 0);
      expect(busy.every((point) => point.p50Ms !== null)).toBe(true);
      expect(busy.reduce((sum, point) => sum + point.tokens.input, 0)).toBe(logged.input);
    }
  });

  it('an unknown window is a 400 in the admin shape; no window is 24h', async () => {
    const bad = await env.api<{ error: { code: string; message: string } }>('GET', '/api/stats?window=2d');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.message).toContain('window');
    const unknownField = await env.api('GET', '/api/stats?window=1h&x=1');
    expect(unknownField.status).toBe(400);
    const fallback = await env.api<StatsReport>('GET', '/api/stats');
    expect(fallback.status).toBe(200);
    expect(fallback.body.window).toBe('24h');
  });
});
