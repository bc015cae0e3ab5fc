import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goForm, millisForm, secondsForm } from '../../src/simulator/error-presets.ts';
import { startSimulator, type ErrorPreset, type Outcome, type Simulator } from '../../src/simulator/index.ts';
import {
  PRO,
  accessToken,
  generateBody,
  hello,
  partsOf,
  rpc,
  type Envelope,
  type RpcBody,
} from './helpers.ts';

const PROJECT = 'useful-fuze-x7k2p';
const MODEL = 'gemini-3-flash';
let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator();
  token = await accessToken(sim, PRO);
});
afterAll(() => sim.close());

async function scripted(
  ...outcomes: Outcome[]
): Promise<{ status: number; body: RpcBody; headers: Headers }> {
  sim.script(PRO, MODEL, ...outcomes);
  const res = await rpc(sim, token, 'generateContent', generateBody(PROJECT, MODEL, hello()));
  return { status: res.status, body: (await res.json()) as RpcBody, headers: res.headers };
}

describe('duration forms', () => {
  it('formats seconds, milliseconds and Go durations', () => {
    expect(secondsForm(0.479417207)).toBe('0.479417207s');
    expect(millisForm(0.479417207)).toBe('479.417207ms');
    expect(goForm(581981.300432511)).toBe('161h39m41.300432511s');
    expect(goForm(33740.9, true)).toBe('9h22m20s');
    expect(goForm(0)).toBe('0ms');
  });
});

describe('error presets', () => {
  it('answers every preset with its status', async () => {
    const expected: Record<ErrorPreset, [number, string]> = {
      rateLimit: [429, 'RESOURCE_EXHAUSTED'],
      quotaExhausted: [429, 'RESOURCE_EXHAUSTED'],
      capacity: [503, 'UNAVAILABLE'],
      insufficientCredits: [429, 'RESOURCE_EXHAUSTED'],
      unstructured429: [429, 'RESOURCE_EXHAUSTED'],
      quotaFailure: [429, 'RESOURCE_EXHAUSTED'],
      validationRequired: [403, 'PERMISSION_DENIED'],
      ban: [403, 'PERMISSION_DENIED'],
      serviceDisabled: [403, 'PERMISSION_DENIED'],
      unauthenticated: [401, 'UNAUTHENTICATED'],
      internal: [500, 'INTERNAL'],
      unavailable: [503, 'UNAVAILABLE'],
      notFound: [404, 'NOT_FOUND'],
      invalidArgument: [400, 'INVALID_ARGUMENT'],
      outdatedClient: [400, 'FAILED_PRECONDITION'],
    };
    for (const [preset, [status, name]] of Object.entries(expected)) {
      const { status: got, body } = await scripted({ kind: 'error', preset: preset as ErrorPreset });
      expect([preset, got, body.error.code, body.error.status]).toEqual([preset, status, status, name]);
    }
    const { body } = await scripted({ kind: 'error', preset: 'unstructured429' });
    expect(body.error.details).toBeUndefined();
  });

  it('puts rate-limit hints in details[0] with RetryInfo after it', async () => {
    const { body } = await scripted({ kind: 'error', preset: 'rateLimit' });
    const [info, retry] = body.error.details ?? [];
    expect(info?.reason).toBe('RATE_LIMIT_EXCEEDED');
    expect(info?.metadata).toMatchObject({ model: MODEL, quotaResetDelay: '479.417207ms' });
    expect(info?.metadata?.quotaResetTimeStamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(retry).toEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '0.479417207s',
    });
  });

  it('shapes QUOTA_EXHAUSTED hints in seconds or as a Go duration', async () => {
    const seconds = await scripted({ kind: 'error', preset: 'quotaExhausted', quotaResetDelay: 33740.9 });
    expect(seconds.body.error.details?.[0]?.metadata?.quotaResetDelay).toBe('33740.9s');
    expect(seconds.body.error.details?.[1]?.retryDelay).toBe('33740.9s');
    expect(seconds.body.error.message).toContain('reset after 9h22m20s');
    const go = await scripted({
      kind: 'error',
      preset: 'quotaExhausted',
      quotaResetDelay: 581981.300432511,
      resetDelayForm: 'go',
      quotaResetTimeStamp: '2025-12-18T20:18:34Z',
      retryAfterHeader: 120,
    });
    expect(go.body.error.details?.[0]?.metadata).toMatchObject({
      quotaResetDelay: '161h39m41.300432511s',
      quotaResetTimeStamp: '2025-12-18T20:18:34Z',
    });
    expect(go.headers.get('retry-after')).toBe('120');
    const bare = await scripted({ kind: 'error', preset: 'quotaExhausted', retryDelay: null });
    expect(bare.body.error.details).toHaveLength(1);
  });

  it('marks capacity errors by reason and by the "No capacity available" text, also as 429', async () => {
    const { body } = await scripted({ kind: 'error', preset: 'capacity' });
    expect(body.error.message).toBe(`No capacity available for model ${MODEL} on the server`);
    expect(body.error.details?.[0]?.reason).toBe('MODEL_CAPACITY_EXHAUSTED');
    const as429 = await scripted({ kind: 'error', preset: 'capacity', status: 429 });
    expect([as429.status, as429.body.error.status]).toEqual([429, 'RESOURCE_EXHAUSTED']);
  });

  it('carries the validation URL in both metadata keys and the Help link', async () => {
    const { body } = await scripted({ kind: 'error', preset: 'validationRequired' });
    const url = sim.account(PRO).validationUrl;
    expect(body.error.details?.[0]?.metadata).toEqual({ validation_url: url, validation_link: url });
    expect(body.error.details?.[1]?.links?.[0]?.url).toBe(url);
    const failure = await scripted({ kind: 'error', preset: 'quotaFailure' });
    expect(failure.body.error.details?.[0]?.violations?.[0]?.quotaId).toContain('PerMinute');
  });

  it('delays the first byte and then serves queued outcomes in order, model queue before *', async () => {
    const started = Date.now();
    sim.script(PRO, '*', { kind: 'text', text: 'from the wildcard queue' });
    const delayed = await scripted({ kind: 'error', preset: 'internal', firstByteDelayMs: 150 });
    expect(delayed.status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    const next = await rpc(sim, token, 'generateContent', generateBody(PROJECT, MODEL, hello()));
    expect(partsOf((await next.json()) as Envelope)[0]?.text).toBe('from the wildcard queue');
    const fallback = await rpc(sim, token, 'generateContent', generateBody(PROJECT, MODEL, hello()));
    expect(partsOf((await fallback.json()) as Envelope)[0]?.text).toContain(MODEL);
  });
});

describe('host failures', () => {
  it('fails one alias for a count, another until cleared, and records the alias', async () => {
    sim.failHost('sandbox', 503, 1);
    sim.failHost('daily', 500);
    const [sandbox, daily, prod] = sim.baseUrls;
    const call = (base: string | undefined) => rpc(sim, token, 'loadCodeAssist', {}, { base });
    expect((await call(sandbox)).status).toBe(503);
    expect((await call(sandbox)).status).toBe(200);
    expect((await call(daily)).status).toBe(500);
    expect((await call(daily)).status).toBe(500);
    expect((await call(prod)).status).toBe(200);
    sim.failHost('daily', undefined);
    expect((await call(daily)).status).toBe(200);
    const aliases = sim.requests
      .filter((r) => r.rpc === 'loadCodeAssist')
      .map((r) => `${r.alias}:${r.status}`);
    expect(aliases.slice(-6)).toEqual([
      'sandbox:503',
      'sandbox:200',
      'daily:500',
      'daily:500',
      'prod:200',
      'daily:200',
    ]);
    expect(sim.requests.at(-1)?.path).toBe('/v1internal:loadCodeAssist');
  });
});
