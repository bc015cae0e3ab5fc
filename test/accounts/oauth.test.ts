import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

interface Started {
  authUrl: string;
  state: string;
  redirectUri: string;
}

let env: TestEnvironment;
beforeEach(async () => {
  env = await startTestEnvironment();
});
afterEach(async () => {
  await env.close();
});

/** Plays the user's browser at Google's consent page: returns where Google redirects to. */
async function consent(authUrl: string): Promise<URL> {
  const response = await fetch(authUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

async function start(): Promise<Started> {
  const started = await env.api<Started>('POST', '/api/oauth/start');
  expect(started.status).toBe(200);
  return started.body;
}

describe('adding an account by OAuth', () => {
  it('browser callback: Google redirects to our /oauth-callback and the account is stored', async () => {
    env.sim.nextLogin('alice.pro@gmail.com');
    const flow = await start();
    const authUrl = new URL(flow.authUrl);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('access_type')).toBe('offline');
    expect(authUrl.searchParams.get('state')).toBe(flow.state);
    expect(flow.redirectUri).toMatch(/^http:\/\/localhost:\d+\/oauth-callback$/);

    const callback = await consent(flow.authUrl);
    expect(`${callback.origin}${callback.pathname}`).toBe(flow.redirectUri);
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('alice.pro@gmail.com was added');

    const status = await env.api<{ status: string; accountId: string }>(
      'GET',
      `/api/oauth/status/${flow.state}`,
    );
    expect(status.body.status).toBe('completed');
    const accounts = await env.api<{
      accounts: Array<{ id: string; email: string; tier: string; projectId: string; state: string }>;
    }>('GET', '/api/accounts');
    expect(accounts.body.accounts).toHaveLength(1);
    expect(accounts.body.accounts[0]).toMatchObject({
      id: status.body.accountId,
      email: 'alice.pro@gmail.com',
      tier: 'pro',
      state: 'active',
    });
    expect(accounts.body.accounts[0]!.projectId).toBeTruthy();
  });

  it('pasted callback URL completes the flow', async () => {
    env.sim.nextLogin('bob.free@gmail.com');
    const flow = await start();
    const callback = await consent(flow.authUrl);
    const done = await env.api<{ outcome: string; account: { email: string; tier: string } }>(
      'POST',
      '/api/oauth/complete',
      {
        state: flow.state,
        callbackUrl: callback.toString(),
      },
    );
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      outcome: 'created',
      account: { email: 'bob.free@gmail.com', tier: 'free' },
    });
  });

  it('pasted raw code completes the flow, and re-adding the same email updates it', async () => {
    for (const expected of ['created', 'updated']) {
      env.sim.nextLogin('carol.ultra@gmail.com');
      const flow = await start();
      const code = (await consent(flow.authUrl)).searchParams.get('code')!;
      const done = await env.api<{ outcome: string }>('POST', '/api/oauth/complete', {
        state: flow.state,
        code,
      });
      expect(done.status).toBe(200);
      expect(done.body.outcome).toBe(expected);
    }
    const accounts = await env.api<{ accounts: Array<{ email: string; tier: string }> }>(
      'GET',
      '/api/accounts',
    );
    expect(accounts.body.accounts.map((a) => a.email)).toEqual(['carol.ultra@gmail.com']);
    expect(accounts.body.accounts[0]!.tier).toBe('ultra');
  });

  it('refuses a callback URL whose state belongs to another flow', async () => {
    const first = await start();
    const second = await start();
    const callback = await consent(second.authUrl);
    const refused = await env.api<{ error: { code: string; message: string } }>(
      'POST',
      '/api/oauth/complete',
      {
        state: first.state,
        callbackUrl: callback.toString(),
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('state_mismatch');
    expect((await env.api('GET', '/api/accounts')).body).toEqual({ accounts: [] });
  });

  it('refuses an expired flow with a clear error', async () => {
    const flow = await start();
    const callback = await consent(flow.authUrl);
    env.server.ctx.store
      .prepare('UPDATE oauth_flows SET expires_at = ? WHERE state = ?')
      .run(Date.now() - 1, flow.state);
    const status = await env.api<{ status: string }>('GET', `/api/oauth/status/${flow.state}`);
    expect(status.body.status).toBe('expired');
    const refused = await env.api<{ error: { code: string; message: string } }>(
      'POST',
      '/api/oauth/complete',
      {
        state: flow.state,
        callbackUrl: callback.toString(),
      },
    );
    expect(refused.status).toBe(410);
    expect(refused.body.error.message).toMatch(/expired/);
  });

  it('reports a denied consent and a second completion of one flow', async () => {
    env.sim.denyNextLogin();
    const denied = await start();
    const deniedCallback = await consent(denied.authUrl);
    expect(deniedCallback.searchParams.get('error')).toBe('access_denied');
    const page = await fetch(deniedCallback);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('cancelled');

    const flow = await start();
    const callback = await consent(flow.authUrl);
    expect(
      (await env.api('POST', '/api/oauth/complete', { state: flow.state, callbackUrl: callback.toString() }))
        .status,
    ).toBe(200);
    const again = await env.api<{ error: { code: string } }>('POST', '/api/oauth/complete', {
      state: flow.state,
      callbackUrl: callback.toString(),
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_completed');
  });
});
