import { afterEach, describe, expect, it } from 'vitest';
import { SettingsTable } from '../../src/store/settings-table.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

interface ProxyConfig {
  settings: {
    proxy: { apiKeys: string[]; fetchImageUrls: boolean };
    scheduling: { mode: string; stickyTtlSeconds: number };
    models: { mapping: Array<{ match: string; target: string }>; aliases: Record<string, string> };
    routing: { background: { enabled: boolean; model: string } };
    retry: { maxAttempts: number | 'auto'; budgetSeconds: number };
    upstream: Record<string, unknown>;
  };
  overridden: string[];
}

interface AdminErrorBody {
  error: { code: string; message: string };
}

const KEY_ONE = 'client-key-one-1234567';
const KEY_TWO = 'client-key-two-7654321';
const PROXY_PASSWORD = 'proxy-pass-777';
const PROXY_URL = `http://proxyuser:${PROXY_PASSWORD}@127.0.0.1:3128`;

let env: TestEnvironment;
afterEach(async () => {
  await env?.close();
});

const get = () => env.api<ProxyConfig>('GET', '/api/proxy/config');
const put = (body: unknown) => env.api<ProxyConfig & AdminErrorBody>('PUT', '/api/proxy/config', body);
const live = () => env.server.ctx.settings.current;
const stored = () => new SettingsTable(env.server.ctx.store).read();

describe('GET /api/proxy/config', () => {
  it('answers the proxy sections only, with the upstream timeouts and outbound proxy', async () => {
    env = await startTestEnvironment();
    const answer = await get();
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.settings).sort()).toEqual([
      'models',
      'proxy',
      'retry',
      'routing',
      'scheduling',
      'upstream',
    ]);
    expect(answer.body.settings.upstream).toEqual({
      connectTimeoutSeconds: 10,
      firstByteTimeoutSeconds: 90,
      idleTimeoutSeconds: 120,
      httpProxy: null,
    });
    expect(answer.body.settings.scheduling.mode).toBe('sticky');
    expect(answer.body.settings.models.mapping.length).toBeGreaterThan(5);
    // The test's flags set upstream URLs and server settings: none of them is a proxy setting.
    expect(answer.body.overridden).toEqual([]);
  });

  it('lists the proxy settings a higher source sets, and only those', async () => {
    env = await startTestEnvironment({
      settings: { scheduling: { mode: 'round-robin' }, upstream: { idleTimeoutSeconds: 30 } },
    });
    const answer = await get();
    expect(answer.body.overridden.sort()).toEqual(['scheduling.mode', 'upstream.idleTimeoutSeconds']);
    expect(answer.body.settings.scheduling.mode).toBe('round-robin');
  });
});

describe('PUT /api/proxy/config', () => {
  it('applies a partial change live and answers like GET', async () => {
    env = await startTestEnvironment();
    const answer = await put({
      scheduling: { mode: 'balance' },
      retry: { maxAttempts: 3 },
      upstream: { firstByteTimeoutSeconds: 45 },
      models: { aliases: { fast: 'gemini-3-flash' } },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.settings.scheduling).toMatchObject({ mode: 'balance', stickyTtlSeconds: 3600 });
    expect(answer.body.settings.retry.maxAttempts).toBe(3);
    expect(answer.body.settings.upstream.firstByteTimeoutSeconds).toBe(45);
    expect(live().scheduling.mode).toBe('balance');
    expect(live().upstream.firstByteTimeoutSeconds).toBe(45);
    expect(live().upstream.connectTimeoutSeconds).toBe(10);
    expect((await get()).body).toEqual(answer.body);
    expect(stored()).toMatchObject({ scheduling: { mode: 'balance' }, retry: { maxAttempts: 3 } });
  });

  it('masks client keys; the masked list sent back keeps them, and edits around it keep the rest', async () => {
    env = await startTestEnvironment();
    const saved = await put({ proxy: { apiKeys: [KEY_ONE, KEY_TWO] } });
    const masked = saved.body.settings.proxy.apiKeys;
    expect(masked).toHaveLength(2);
    expect(JSON.stringify(saved.body)).not.toContain(KEY_ONE);
    expect(JSON.stringify(saved.body)).not.toContain(KEY_TWO);

    // The whole section comes back from the form, masks included.
    expect((await put({ proxy: { ...saved.body.settings.proxy, fetchImageUrls: false } })).status).toBe(200);
    expect(live().proxy.apiKeys).toEqual([KEY_ONE, KEY_TWO]);
    expect(live().proxy.fetchImageUrls).toBe(false);

    await put({ proxy: { apiKeys: [masked[1], 'client-key-three-000000'] } });
    expect(live().proxy.apiKeys).toEqual([KEY_TWO, 'client-key-three-000000']);
  });

  it('masks the outbound proxy password and never overwrites it with the mask', async () => {
    env = await startTestEnvironment();
    const saved = await put({ upstream: { httpProxy: PROXY_URL } });
    expect(saved.status).toBe(200);
    expect(saved.body.settings.upstream.httpProxy).toBe('http://proxyuser:****@127.0.0.1:3128/');
    expect(JSON.stringify(saved.body)).not.toContain(PROXY_PASSWORD);

    await put({ upstream: { ...saved.body.settings.upstream, idleTimeoutSeconds: 60 } });
    expect(live().upstream.httpProxy).toBe(PROXY_URL);
    expect(live().upstream.idleTimeoutSeconds).toBe(60);

    // A new port around the masked password keeps the password.
    await put({ upstream: { httpProxy: 'http://proxyuser:****@127.0.0.1:3129' } });
    expect(live().upstream.httpProxy).toBe(`http://proxyuser:${PROXY_PASSWORD}@127.0.0.1:3129/`);

    // null turns the outbound proxy off.
    const cleared = await put({ upstream: { httpProxy: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.settings.upstream.httpProxy).toBeNull();
    expect(live().upstream.httpProxy).toBeUndefined();
    expect(live().upstream.idleTimeoutSeconds).toBe(60);
  });

  it.each([
    ['a section that is not the proxy page', { server: { port: 1 } }, '"server"'],
    ['another page section', { scheduling: { mode: 'balance' }, ui: { theme: 'dark' } }, '"ui"'],
    [
      'an upstream key other than timeouts and proxy',
      { upstream: { baseUrls: ['http://x'] } },
      '"upstream.baseUrls"',
    ],
    ['a secret of upstream', { upstream: { oauthClientSecret: 'x' } }, '"upstream.oauthClientSecret"'],
  ])('answers 400 naming the key for %s, and changes nothing', async (_name, body, key) => {
    env = await startTestEnvironment();
    const answer = await put(body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
    expect(answer.body.error.message).toContain(key);
    expect(live().scheduling.mode).toBe('sticky');
    expect(stored()).toEqual({});
  });

  it('answers 400 for a bad value or a body that is not an object', async () => {
    env = await startTestEnvironment();
    const bad = await put({ scheduling: { mode: 'fastest' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('scheduling.mode');
    expect((await put([1])).status).toBe(400);
    expect((await put({ upstream: 5 })).status).toBe(400);
  });
});

describe('PUT /api/config with masked secrets', () => {
  it('keeps the real client keys and OAuth client secret when their masks come back', async () => {
    env = await startTestEnvironment();
    await put({ proxy: { apiKeys: [KEY_ONE] } });
    const config = await env.api<{
      settings: { proxy: { apiKeys: string[] }; upstream: Record<string, string> };
    }>('GET', '/api/config');
    const { proxy, upstream } = config.body.settings;
    expect(proxy.apiKeys[0]).not.toBe(KEY_ONE);
    const answer = await env.api('PUT', '/api/config', {
      proxy: { ...proxy, imageUrlMaxMb: 10 },
      upstream: { oauthClientSecret: upstream.oauthClientSecret },
    });
    expect(answer.status).toBe(200);
    expect(live().proxy.apiKeys).toEqual([KEY_ONE]);
    expect(live().proxy.imageUrlMaxMb).toBe(10);
    expect(stored().upstream).toBeUndefined();
    expect(JSON.stringify(stored())).not.toContain('\u2026');
  });
});
