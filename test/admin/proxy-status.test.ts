import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

const A = 'alice.pro@gmail.com';
const MODEL = 'gemini-3-flash';

interface ProxyStatus {
  running: boolean;
  accounts: number;
  models: number;
  cooldowns: unknown[];
  memory: Record<string, number>;
  endpoints: { openai: string; anthropic: string; gemini: string; health: string };
  version: string;
  uptimeSeconds: number;
  requests: number;
  errors: number;
}

let env: TestEnvironment;
beforeAll(async () => {
  env = await startTestEnvironment();
  await env.importAccounts(A);
});
afterAll(async () => {
  await env?.close();
});

const status = async () => (await env.api<ProxyStatus>('GET', '/api/proxy/status')).body;

/** GET /api/proxy/status with a Host header of our choosing (fetch always sends the real one). */
function statusWithHost(host: string): Promise<ProxyStatus> {
  const { port } = new URL(env.url);
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      { host: '127.0.0.1', port, path: '/api/proxy/status', headers: { host } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(JSON.parse(text) as ProxyStatus));
      },
    );
    sent.on('error', reject);
    sent.end();
  });
}

async function generate(model: string) {
  const response = await fetch(`${env.url}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  });
  await response.text();
  return response.status;
}

describe('GET /api/proxy/status', () => {
  it('keeps its fields and adds the endpoints as the caller reached the server, the version and uptime', async () => {
    const answer = await status();
    expect(answer).toMatchObject({ running: true, accounts: 1, cooldowns: [], version: VERSION });
    expect(answer.models).toBeGreaterThan(0);
    expect(answer.memory.rss).toBeGreaterThan(0);
    expect(answer.endpoints).toEqual({
      openai: `${env.url}/v1`,
      anthropic: env.url,
      gemini: env.url,
      health: `${env.url}/health`,
    });
    expect(Number.isInteger(answer.uptimeSeconds) && answer.uptimeSeconds >= 0).toBe(true);
    const health = await fetch(answer.endpoints.health);
    expect(health.status).toBe(200);
  });

  it('names the host the dashboard used, and ignores a Host header that is not a host', async () => {
    const named = await statusWithHost('proxy.example.lan:8094');
    expect(named.endpoints).toEqual({
      openai: 'http://proxy.example.lan:8094/v1',
      anthropic: 'http://proxy.example.lan:8094',
      gemini: 'http://proxy.example.lan:8094',
      health: 'http://proxy.example.lan:8094/health',
    });
    expect((await statusWithHost('[::1]:9000')).endpoints.anthropic).toBe('http://[::1]:9000');
    const odd = await statusWithHost('evil.example/"><script>');
    expect(odd.endpoints.anthropic).toBe(env.url);
  });

  it('counts proxied requests since start and those that failed', async () => {
    const before = await status();
    expect(await generate(MODEL)).toBe(200);
    env.sim.script(A, MODEL, { kind: 'error', preset: 'rateLimit', retryDelay: 600 });
    expect(await generate(MODEL)).toBe(429);
    const after = await status();
    expect(after.requests - before.requests).toBe(2);
    expect(after.errors - before.errors).toBe(1);
  });
});
