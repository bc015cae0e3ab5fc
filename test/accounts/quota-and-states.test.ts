import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/accounts/views.ts';
import { AccountsTable } from '../../src/store/accounts-table.ts';
import { startTestEnvironment, type TestEnvironment, expireAccessTokens } from '../helpers/app.ts';

let env: TestEnvironment;
beforeEach(async () => {
  env = await startTestEnvironment();
});
afterEach(async () => {
  await env.close();
});

async function importAccount(email: string): Promise<AccountView> {
  const answer = await env.api<{ results: Array<{ id: string; outcome: string }> }>(
    'POST',
    '/api/accounts/import',
    {
      refreshTokens: [env.sim.account(email).refreshToken],
    },
  );
  expect(answer.body.results[0]!.outcome).toBe('created');
  return (await env.api<{ account: AccountView }>('GET', `/api/accounts/${answer.body.results[0]!.id}`)).body
    .account;
}

const refresh = async (id: string) =>
  (await env.api<{ account: AccountView }>('POST', `/api/accounts/${id}/refresh`)).body.account;
const model = (account: AccountView, id: string) => account.quota.models.find((m) => m.model === id);

describe('account states', () => {
  it('a revoked refresh token turns the account needs_login at its next refresh', async () => {
    const alice = await importAccount('alice.pro@gmail.com');
    env.sim.revokeRefreshToken('alice.pro@gmail.com');
    // The stored access token is still valid; expire it so the next refresh must use the refresh token.
    expireAccessTokens(env.server);
    const after = await refresh(alice.id);
    expect(after.state).toBe('needs_login');
    expect(after.stateReason).toMatch(/sign in again/);
  });

  it('the background refresh marks a revoked account too', async () => {
    const bob = await importAccount('bob.free@gmail.com');
    env.sim.revokeRefreshToken('bob.free@gmail.com');
    expireAccessTokens(env.server);
    await env.server.ctx.accounts.scheduler.runOnce();
    expect(
      (await env.api<{ account: AccountView }>('GET', `/api/accounts/${bob.id}`)).body.account.state,
    ).toBe('needs_login');
  });

  it('banned → forbidden with the reason; validation required → forbidden with the URL', async () => {
    const erin = await importAccount('erin.banned@gmail.com');
    expect(erin.state).toBe('forbidden');
    expect(erin.stateReason).toMatch(/disabled/);
    const frank = await importAccount('frank.verify@gmail.com');
    expect(frank.state).toBe('forbidden');
    expect(frank.validationUrl).toBe(env.sim.account('frank.verify@gmail.com').validationUrl);
  });

  it('a user-disabled account keeps its login state when enabled again', async () => {
    const alice = await importAccount('alice.pro@gmail.com');
    const disabled = await env.api<{ account: AccountView }>('PATCH', `/api/accounts/${alice.id}`, {
      enabled: false,
      label: 'work',
    });
    expect(disabled.body.account).toMatchObject({ state: 'disabled', label: 'work', enabled: false });
    const enabled = await env.api<{ account: AccountView }>('PATCH', `/api/accounts/${alice.id}`, {
      enabled: true,
    });
    expect(enabled.body.account.state).toBe('active');
  });
});

describe('quota you can trust', () => {
  it('a quota object without remainingFraction reads 0 (proto3 omits zeros)', async () => {
    const grace = await importAccount('grace@example.com');
    expect(model(grace, 'claude-sonnet-4-6')).toMatchObject({
      status: 'known',
      remainingFraction: 0,
      percent: 0,
    });
    const request = env.sim.requests.find(
      (r) => r.rpc === 'fetchAvailableModels' && r.account === 'grace@example.com',
    );
    expect(request).toBeDefined();
  });

  it('a failed fetch leaves the models unknown with the last fetch time kept, never 100 %', async () => {
    const alice = await importAccount('alice.pro@gmail.com');
    const before = model(alice, 'gemini-3-flash');
    expect(before).toMatchObject({ status: 'known', remainingFraction: 0.82 });
    env.sim.failQuotaFetch('alice.pro@gmail.com', true);
    const after = await refresh(alice.id);
    const flash = model(after, 'gemini-3-flash')!;
    expect(flash.status).toBe('unknown');
    expect(flash).not.toHaveProperty('remainingFraction');
    expect(flash.fetchedAt).toBe(before!.fetchedAt);
    expect(after.quota.error).toMatch(/500|server_error/);
    expect(after.quota.fetchedAt).toBe(alice.quota.fetchedAt);
    expect(after.state).toBe('active');

    env.sim.failQuotaFetch('alice.pro@gmail.com', false);
    const healed = await refresh(alice.id);
    expect(model(healed, 'gemini-3-flash')!.status).toBe('known');
    expect(healed.quota.error).toBeNull();
  });

  it('shows weekly buckets where the quota summary answers, and none where it does not', async () => {
    const carol = await importAccount('carol.ultra@gmail.com');
    expect(carol.quota.buckets.length).toBeGreaterThan(0);
    expect(carol.quota.buckets.some((b) => /week/i.test(b.window ?? ''))).toBe(true);
    const alice = await importAccount('alice.pro@gmail.com');
    expect(alice.quota.buckets).toEqual([]);
  });

  it('refresh-all updates every usable account', async () => {
    await importAccount('alice.pro@gmail.com');
    await importAccount('bob.free@gmail.com');
    env.sim.setQuota('bob.free@gmail.com', 'gemini-pro-agent', 0.55);
    const all = await env.api<{ accounts: AccountView[] }>('POST', '/api/accounts/refresh');
    const bob = all.body.accounts.find((a) => a.email === 'bob.free@gmail.com')!;
    expect(model(bob, 'gemini-pro-agent')).toMatchObject({ status: 'known', remainingFraction: 0.55 });
  });
});

describe('refreshing only stale quota (the refresh after a restart)', () => {
  it('refetches the accounts last fetched before the cut-off and leaves the others alone', async () => {
    const alice = await importAccount('alice.pro@gmail.com');
    const bob = await importAccount('bob.free@gmail.com');
    const table = new AccountsTable(env.server.ctx.store);
    table.update(alice.id, { quotaFetchedAt: 1_000 });
    const bobFetchedAt = table.get(bob.id)!.quotaFetchedAt!;
    await env.server.ctx.accounts.service.refreshAll({ staleBefore: bobFetchedAt - 1 });
    expect(table.get(alice.id)!.quotaFetchedAt).toBeGreaterThan(1_000);
    expect(table.get(bob.id)!.quotaFetchedAt).toBe(bobFetchedAt);
  });
});
