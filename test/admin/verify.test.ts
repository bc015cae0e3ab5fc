import { afterEach, describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/accounts/views.ts';
import { expireAccessTokens, startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

const ALICE = 'alice.pro@gmail.com';
const FRANK = 'frank.verify@gmail.com';
const MODEL = 'gemini-3-flash';

interface VerifyAnswer {
  account: AccountView & { cooldowns: unknown[] };
  outcome: string;
  message: string;
}

let env: TestEnvironment;
afterEach(async () => {
  await env?.close();
});

const verify = (id: string) => env.api<VerifyAnswer>('POST', `/api/accounts/${id}/verify`);
const account = async (id: string) =>
  (await env.api<{ account: AccountView }>('GET', `/api/accounts/${id}`)).body.account;

async function generate() {
  const response = await fetch(`${env.url}/v1beta/models/${MODEL}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  });
  await response.text();
  return response.status;
}

describe('POST /api/accounts/{id}/verify', () => {
  it('keeps an account that Google asks to validate forbidden until the block is lifted, then serves again', async () => {
    env = await startTestEnvironment();
    const [id] = await env.importAccounts(ALICE);
    // Google starts asking for validation: the next request marks the account forbidden with the link.
    env.sim.account(ALICE).validationRequired = true;
    await generate();
    const blocked = await account(id!);
    expect(blocked.state).toBe('forbidden');
    expect(blocked.validationUrl).toBe(env.sim.account(ALICE).validationUrl);

    const still = await verify(id!);
    expect(still.status).toBe(200);
    expect(still.body.outcome).toBe('forbidden');
    expect(still.body.message).toBe('Still needs validation: open the link and sign in');
    expect(still.body.account).toMatchObject({
      id,
      state: 'forbidden',
      validationUrl: env.sim.account(ALICE).validationUrl,
      cooldowns: [],
    });
    expect(await generate()).not.toBe(200);

    env.sim.account(ALICE).validationRequired = false;
    const lifted = await verify(id!);
    expect(lifted.body.outcome).toBe('active');
    expect(lifted.body.message).toBe('Verified: the account serves requests again');
    expect(lifted.body.account).toMatchObject({ state: 'active', validationUrl: null, stateReason: null });
    expect(lifted.body.account.quota.models.length).toBeGreaterThan(0);
    expect(await generate()).toBe(200);
  });

  it('verifies an account imported while it needed validation', async () => {
    env = await startTestEnvironment();
    const [id] = await env.importAccounts(FRANK);
    expect((await verify(id!)).body.outcome).toBe('forbidden');
    env.sim.account(FRANK).validationRequired = false;
    expect((await verify(id!)).body).toMatchObject({ outcome: 'active', account: { state: 'active' } });
  });

  it('says an active account still serves', async () => {
    env = await startTestEnvironment();
    const [id] = await env.importAccounts(ALICE);
    expect((await verify(id!)).body).toMatchObject({
      outcome: 'active',
      message: 'Verified: the account serves requests',
    });
  });

  it('tells a check that could not finish from a block: error, in words', async () => {
    env = await startTestEnvironment();
    const [id] = await env.importAccounts(ALICE);
    env.sim.failQuotaFetch(ALICE, true);
    const answer = await verify(id!);
    expect(answer.body.outcome).toBe('error');
    expect(answer.body.message).toMatch(/^Could not check the account, try again later: .*500/);
    expect(answer.body.account.state).toBe('active');
  });

  it('reports a revoked sign-in and a disabled account', async () => {
    env = await startTestEnvironment();
    const [alice, frank] = await env.importAccounts(ALICE, FRANK);
    env.sim.revokeRefreshToken(ALICE);
    expireAccessTokens(env.server, 0, alice);
    const revoked = await verify(alice!);
    expect(revoked.body.outcome).toBe('needs_login');
    expect(revoked.body.message).toMatch(/sign-in/);

    await env.api('PATCH', `/api/accounts/${frank}`, { enabled: false });
    expect((await verify(frank!)).body).toMatchObject({
      outcome: 'disabled',
      account: { state: 'disabled' },
    });
  });

  it('answers 404 in the admin shape for an unknown account', async () => {
    env = await startTestEnvironment();
    const answer = await env.api<{ error: { code: string; message: string } }>(
      'POST',
      '/api/accounts/nope/verify',
    );
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });
});
