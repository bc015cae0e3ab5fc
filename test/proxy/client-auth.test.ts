import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

let env: TestEnvironment;
afterEach(async () => {
  await env?.close();
});

const list = (headers: Record<string, string> = {}, query = '') =>
  fetch(`${env.url}/v1beta/models${query}`, { headers });

describe('client API keys', () => {
  it('with no key configured, loopback clients need none', async () => {
    env = await startTestEnvironment();
    expect((await list()).status).toBe(200);
  });

  it('accepts keys from the environment in every place a client puts them, and refuses others with 401 in Gemini shape', async () => {
    env = await startTestEnvironment({ settings: { proxy: { apiKeys: ['env-key-123456'] } } });
    expect((await list({ authorization: 'Bearer env-key-123456' })).status).toBe(200);
    expect((await list({ 'x-api-key': 'env-key-123456' })).status).toBe(200);
    expect((await list({ 'x-goog-api-key': 'env-key-123456' })).status).toBe(200);
    expect((await list({}, '?key=env-key-123456')).status).toBe(200);
    const missing = await list();
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    expect((await list({ 'x-goog-api-key': 'env-key-12345X' })).status).toBe(401);
  });

  it('keys created in the dashboard are shown once, stored hashed, and stop working when revoked', async () => {
    env = await startTestEnvironment();
    const created = await env.api<{ key: string; id: string }>('POST', '/api/proxy/keys', {
      label: 'laptop',
    });
    expect(created.status).toBe(201);
    const key = created.body.key;
    expect((await list()).status).toBe(401);
    expect((await list({ 'x-goog-api-key': key })).status).toBe(200);
    const listed = await env.api<{ keys: Array<{ key: string; label: string }> }>('GET', '/api/proxy/keys');
    expect(listed.body.keys[0]!.label).toBe('laptop');
    expect(JSON.stringify(listed.body)).not.toContain(key);
    await env.server.stop(1000);
    expect(readFileSync(join(env.dataDir, 'better-manager.db')).includes(Buffer.from(key))).toBe(false);
  });

  it('a revoked key is refused', async () => {
    env = await startTestEnvironment();
    const created = await env.api<{ key: string; id: string }>('POST', '/api/proxy/keys', { label: 'old' });
    expect((await env.api('DELETE', `/api/proxy/keys/${created.body.id}`)).status).toBe(204);
    expect((await list({ 'x-goog-api-key': created.body.key })).status).toBe(
      200 /* no active key left: loopback is open again */,
    );
    await env.api('POST', '/api/proxy/keys', { label: 'new' });
    expect((await list({ 'x-goog-api-key': created.body.key })).status).toBe(401);
    expect((await env.api('DELETE', `/api/proxy/keys/${created.body.id}`)).status).toBe(404);
  });
});
