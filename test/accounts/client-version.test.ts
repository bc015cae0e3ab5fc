import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/accounts/views.ts';
import { startTestEnvironment, type TestEnvironment, expireAccessTokens } from '../helpers/app.ts';

let env: TestEnvironment;
beforeEach(async () => {
  env = await startTestEnvironment();
});
afterEach(async () => {
  await env.close();
});

describe('client version gate', () => {
  it('classifies the outdated-client answer, keeps the account usable, and a raised version applies without restart', async () => {
    const imported = await env.api<{ results: Array<{ id: string }> }>('POST', '/api/accounts/import', {
      refreshTokens: [env.sim.account('alice.pro@gmail.com').refreshToken],
    });
    const id = imported.body.results[0]!.id;
    const configured = (
      await env.api<{ settings: { upstream: { clientVersion: string } } }>('GET', '/api/config')
    ).body.settings.upstream.clientVersion;

    env.sim.setMinClientVersion('99.0.0');
    const rejected = (await env.api<{ account: AccountView }>('POST', `/api/accounts/${id}/refresh`)).body
      .account;
    expect(rejected.quota.error).toMatch(/^client_outdated: /);
    expect(rejected.quota.error).toContain(configured);
    expect(rejected.quota.error).toContain('upstream.clientVersion');
    expect(rejected.state).toBe('active');
    const gated = env.sim.requests.filter((r) => r.rpc === 'fetchAvailableModels').at(-1)!;
    expect(gated.status).toBe(400);
    expect(gated.headers['user-agent']).toContain(`antigravity/${configured}`);

    const raised = await env.api('PUT', '/api/config', { upstream: { clientVersion: '99.1.0' } });
    expect(raised.status).toBe(200);
    const passed = (await env.api<{ account: AccountView }>('POST', `/api/accounts/${id}/refresh`)).body
      .account;
    expect(passed.quota.error).toBeNull();
    const last = env.sim.requests.filter((r) => r.rpc === 'fetchAvailableModels').at(-1)!;
    expect(last.headers['user-agent']).toContain('antigravity/99.1.0');
    expect(last.headers['x-client-version']).toBe('99.1.0');
  });
});

describe('token refresh', () => {
  it('50 concurrent token requests for one expired account make exactly one refresh call', async () => {
    const imported = await env.api<{ results: Array<{ id: string }> }>('POST', '/api/accounts/import', {
      refreshTokens: [env.sim.account('bob.free@gmail.com').refreshToken],
    });
    const id = imported.body.results[0]!.id;
    expireAccessTokens(env.server, Date.now() + 60_000);
    const before = env.sim.counts.refreshGrantByEmail['bob.free@gmail.com'] ?? 0;

    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        env.api<{ account: AccountView }>('POST', `/api/accounts/${id}/refresh`),
      ),
    );
    expect(answers.every((answer) => answer.status === 200 && answer.body.account.quota.error === null)).toBe(
      true,
    );
    expect((env.sim.counts.refreshGrantByEmail['bob.free@gmail.com'] ?? 0) - before).toBe(1);

    expireAccessTokens(env.server, Date.now() + 60_000);
    const tokens = await Promise.all(
      Array.from({ length: 50 }, () => env.server.ctx.accounts.tokens.accessToken(id)),
    );
    expect(new Set(tokens).size).toBe(1);
    expect((env.sim.counts.refreshGrantByEmail['bob.free@gmail.com'] ?? 0) - before).toBe(2);
  });

  it('a transient refresh failure leaves the account as it was', async () => {
    const imported = await env.api<{ results: Array<{ id: string }> }>('POST', '/api/accounts/import', {
      refreshTokens: [env.sim.account('bob.free@gmail.com').refreshToken],
    });
    const id = imported.body.results[0]!.id;
    expireAccessTokens(env.server);
    env.sim.failRefreshes(1, 503);
    const failed = (await env.api<{ account: AccountView }>('POST', `/api/accounts/${id}/refresh`)).body
      .account;
    expect(failed.state).toBe('active');
    expect(failed.quota.error).toBeTruthy();
    const healed = (await env.api<{ account: AccountView }>('POST', `/api/accounts/${id}/refresh`)).body
      .account;
    expect(healed.quota.error).toBeNull();
  });
});
