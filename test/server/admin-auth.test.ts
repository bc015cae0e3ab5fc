import { afterEach, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

let env: TestEnvironment;
afterEach(async () => {
  await env?.close();
});

const PASSWORD = 'correct horse battery staple';

describe('admin authentication', () => {
  it('with a password: Bearer or a session cookie from login; wrong password and logout refuse', async () => {
    env = await startTestEnvironment({ settings: { server: { adminPassword: PASSWORD } } });
    const accounts = (headers: Record<string, string> = {}) => fetch(`${env.url}/api/accounts`, { headers });
    const refused = await accounts();
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await accounts({ authorization: `Bearer ${PASSWORD}` })).status).toBe(200);
    expect((await accounts({ authorization: 'Bearer nope' })).status).toBe(401);

    const status = await (await fetch(`${env.url}/api/auth/status`)).json();
    expect(status).toEqual({ passwordRequired: true, signedIn: false });

    const wrong = await env.api('POST', '/api/auth/login', { password: 'guess' });
    expect(wrong.status).toBe(401);
    const login = await fetch(`${env.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    expect((await accounts({ cookie: session })).status).toBe(200);

    await fetch(`${env.url}/api/auth/logout`, { method: 'POST', headers: { cookie: session } });
    expect((await accounts({ cookie: session })).status).toBe(401);
  });

  it('limits login attempts', async () => {
    env = await startTestEnvironment({ settings: { server: { adminPassword: PASSWORD } } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await env.api('POST', '/api/auth/login', { password: `guess-${i}` })).status);
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('refuses state-changing admin calls from another origin', async () => {
    env = await startTestEnvironment();
    const cross = await fetch(`${env.url}/api/accounts/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ refreshTokens: ['x'] }),
    });
    expect(cross.status).toBe(403);
    const same = await fetch(`${env.url}/api/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: env.url },
      body: JSON.stringify({ ui: { theme: 'dark' } }),
    });
    expect(same.status).toBe(200);
  });

  it('never returns the admin password', async () => {
    env = await startTestEnvironment({ settings: { server: { adminPassword: PASSWORD } } });
    const config = await fetch(`${env.url}/api/config`, { headers: { authorization: `Bearer ${PASSWORD}` } });
    const text = await config.text();
    expect(text).not.toContain(PASSWORD);
    expect(JSON.parse(text).settings.server.adminPasswordSet).toBe(true);
  });
});
