import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/accounts/views.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

interface ImportAnswer {
  results: Array<{
    index: number;
    outcome: string;
    email?: string;
    id?: string;
    error?: string;
    state?: string;
  }>;
  created: number;
  updated: number;
  failed: number;
}

let env: TestEnvironment;
beforeEach(async () => {
  env = await startTestEnvironment();
});
afterEach(async () => {
  await env.close();
});

const token = (email: string) => env.sim.account(email).refreshToken;
const accounts = async () =>
  (await env.api<{ accounts: AccountView[] }>('GET', '/api/accounts')).body.accounts;

describe('importing refresh tokens', () => {
  it('verifies each token and stores email, tier, project and quota; a bad token fails alone', async () => {
    const answer = await env.api<ImportAnswer>('POST', '/api/accounts/import', {
      refreshTokens: [
        token('alice.pro@gmail.com'),
        '1//0g-not-a-token-anyone-issued',
        token('carol.ultra@gmail.com'),
        token('dave.new@gmail.com'),
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((r) => r.outcome)).toEqual(['created', 'failed', 'created', 'created']);
    expect(answer.body.results[1]!.error).toMatch(/invalid_grant/);
    expect(answer.body).toMatchObject({ created: 3, failed: 1, updated: 0 });

    const stored = await accounts();
    const byEmail = Object.fromEntries(stored.map((a) => [a.email, a]));
    expect(Object.keys(byEmail).sort()).toEqual([
      'alice.pro@gmail.com',
      'carol.ultra@gmail.com',
      'dave.new@gmail.com',
    ]);
    expect(byEmail['alice.pro@gmail.com']).toMatchObject({
      tier: 'pro',
      projectId: 'useful-fuze-x7k2p',
      state: 'active',
    });
    expect(byEmail['carol.ultra@gmail.com']).toMatchObject({
      tier: 'ultra',
      projectId: 'quiet-harbor-m2c9w',
    });
    // Dave had no project: onboarding was polled until the operation finished.
    expect(byEmail['dave.new@gmail.com']).toMatchObject({ projectId: 'calm-meadow-h3v9t', state: 'active' });
    const onboardCalls = env.sim.requests.filter((r) => r.rpc === 'onboardUser' || r.rpc === 'getOperation');
    expect(onboardCalls.length).toBeGreaterThanOrEqual(3);

    const alice = byEmail['alice.pro@gmail.com']!;
    const sonnet = alice.quota.models.find((m) => m.model === 'claude-sonnet-4-6');
    expect(sonnet).toMatchObject({ status: 'known', remainingFraction: 0.64, percent: 64 });
    expect(alice.quota.fetchedAt).not.toBeNull();
    expect(alice.quota.models.some((m) => m.model.startsWith('chat_'))).toBe(false);
    expect(alice.refreshToken).not.toBe(token('alice.pro@gmail.com'));
    expect(alice.refreshToken).toContain('…');
  });

  it('accepts one token per line, our export format and Antigravity-Manager account files', async () => {
    const lines = await env.api<ImportAnswer>('POST', '/api/accounts/import', {
      refreshTokens: `${token('alice.pro@gmail.com')}\n\n${token('bob.free@gmail.com')}\n`,
    });
    expect(lines.body.created).toBe(2);

    const exported = await env.api<{ accounts: Array<{ email: string; refreshToken: string }> }>(
      'GET',
      '/api/accounts/export',
    );
    expect(exported.body.accounts.map((a) => a.refreshToken).sort()).toEqual(
      [token('alice.pro@gmail.com'), token('bob.free@gmail.com')].sort(),
    );

    const again = await env.api<ImportAnswer>('POST', '/api/accounts/import', exported.body);
    expect(again.body).toMatchObject({ updated: 2, created: 0, failed: 0 });

    const managerFile = {
      id: 'e1c3d2a4',
      email: 'grace@example.com',
      name: 'Grace',
      token: {
        access_token: 'ya29.stale',
        refresh_token: token('grace@example.com'),
        expires_in: 3599,
        expiry_timestamp: 1,
      },
      disabled: true,
    };
    const fromManager = await env.api<ImportAnswer>('POST', '/api/accounts/import', {
      accounts: [managerFile],
    });
    expect(fromManager.body.results[0]).toMatchObject({
      outcome: 'created',
      email: 'grace@example.com',
      state: 'disabled',
    });
    expect((await accounts()).length).toBe(3);
  });

  it('keeps banned and unverified identities, marked forbidden with the reason and validation URL', async () => {
    const answer = await env.api<ImportAnswer>('POST', '/api/accounts/import', {
      refreshTokens: [token('erin.banned@gmail.com'), token('frank.verify@gmail.com')],
    });
    expect(answer.body.created).toBe(2);
    const byEmail = Object.fromEntries((await accounts()).map((a) => [a.email, a]));
    expect(byEmail['erin.banned@gmail.com']).toMatchObject({ state: 'forbidden' });
    expect(byEmail['erin.banned@gmail.com']!.stateReason).toMatch(/Terms of Service/);
    expect(byEmail['frank.verify@gmail.com']).toMatchObject({ state: 'forbidden' });
    expect(byEmail['frank.verify@gmail.com']!.validationUrl).toMatch(/^https:\/\//);
  });

  it('stores no refresh token in plain text in the database files', async () => {
    await env.api('POST', '/api/accounts/import', {
      refreshTokens: [token('alice.pro@gmail.com'), token('bob.free@gmail.com')],
    });
    await env.server.stop(1000);
    const secrets = [token('alice.pro@gmail.com'), token('bob.free@gmail.com')];
    for (const file of ['better-manager.db', 'better-manager.db-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(env.dataDir, file));
      } catch {
        continue;
      }
      for (const secret of secrets) {
        expect(bytes.includes(Buffer.from(secret))).toBe(false);
        expect(bytes.includes(Buffer.from(secret.slice(3)))).toBe(false);
      }
    }
    expect(readFileSync(join(env.dataDir, 'better-manager.db')).length).toBeGreaterThan(0);
  });
});
