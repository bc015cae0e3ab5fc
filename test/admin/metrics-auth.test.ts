import { afterEach, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

const CONFIGURED = { adminPassword: 'metrics-config-password' };
const STORED = { newPassword: 'metrics-stored-password' };

let env: TestEnvironment;
afterEach(async () => {
  await env?.close();
});

const metrics = (headers: Record<string, string> = {}) => fetch(`${env.url}/metrics`, { headers });

async function sessionCookie(password: string): Promise<string> {
  const login = await fetch(`${env.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password }),
  });
  expect(login.status).toBe(200);
  return login.headers.get('set-cookie')!.split(';')[0]!;
}

async function expectScrape(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(await response.text()).toContain('# TYPE bm_requests_total counter');
}

async function expectRefused(response: Response) {
  expect(response.status).toBe(401);
  expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
}

describe('GET /metrics with an admin password', () => {
  it('from the config: 401 without auth, 200 with the session cookie or the Bearer password', async () => {
    env = await startTestEnvironment({ settings: { server: CONFIGURED } });
    await expectRefused(await metrics());
    await expectRefused(await metrics({ authorization: 'Bearer not-the-password' }));
    await expectRefused(await metrics({ cookie: 'bm_session=forged-session-token' }));
    await expectScrape(await metrics({ cookie: await sessionCookie(CONFIGURED.adminPassword) }));
    await expectScrape(await metrics({ authorization: `Bearer ${CONFIGURED.adminPassword}` }));
  });

  it('set in the dashboard: the same', async () => {
    env = await startTestEnvironment();
    await expectScrape(await metrics());
    expect((await env.api('PUT', '/api/auth/password', STORED)).status).toBe(200);
    await expectRefused(await metrics());
    await expectRefused(await metrics({ authorization: 'Bearer not-the-password' }));
    await expectScrape(await metrics({ cookie: await sessionCookie(STORED.newPassword) }));
    await expectScrape(await metrics({ authorization: `Bearer ${STORED.newPassword}` }));
  });
});
