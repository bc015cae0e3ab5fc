import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { PRO, accessToken, generateBody, hello, rpc, type RpcBody } from './helpers.ts';

const PROJECT = 'useful-fuze-x7k2p';
const MODEL = 'gemini-3-flash';
let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator();
  token = await accessToken(sim, PRO);
});
afterAll(() => sim.close());

function control(path: string, body: unknown): Promise<Response> {
  return fetch(`${sim.url}/__control/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('simulator control routes', () => {
  it('scripts outcomes for an account and model over HTTP, served in order like script()', async () => {
    const res = await control('script', {
      email: PRO,
      model: MODEL,
      outcomes: [{ kind: 'error', preset: 'rateLimit', retryDelay: 300 }],
    });
    expect([res.status, await res.json()]).toEqual([200, { scripted: 1 }]);
    const limited = await rpc(sim, token, 'generateContent', generateBody(PROJECT, MODEL, hello()));
    const body = (await limited.json()) as RpcBody;
    expect(limited.status).toBe(429);
    expect(body.error.details?.[1]?.retryDelay).toBe('300s');
    const next = await rpc(sim, token, 'generateContent', generateBody(PROJECT, MODEL, hello()));
    expect(next.status).toBe(200);
  });

  it('refuses an unknown account, a bad outcome and an unknown control path in words', async () => {
    const unknown = await control('script', {
      email: 'nobody@example.com',
      model: MODEL,
      outcomes: [{ kind: 'empty' }],
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as RpcBody).error.message).toContain('nobody@example.com');
    const badKind = await control('script', { email: PRO, model: MODEL, outcomes: [{ kind: 'nonsense' }] });
    expect(badKind.status).toBe(400);
    const empty = await control('script', { email: PRO, model: MODEL, outcomes: [] });
    expect(empty.status).toBe(400);
    const elsewhere = await control('nothing-here', {});
    expect(elsewhere.status).toBe(404);
    // Nothing was queued by the refused calls.
    const served = await rpc(sim, token, 'generateContent', generateBody(PROJECT, MODEL, hello()));
    expect(served.status).toBe(200);
  });

  it('is not reachable under a host alias, where the product sends its upstream calls', async () => {
    const res = await fetch(`${sim.url}/sandbox/__control/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: PRO, model: MODEL, outcomes: [{ kind: 'empty' }] }),
    });
    expect(res.status).toBe(404);
  });
});
