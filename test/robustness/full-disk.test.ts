import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountView } from '../../src/accounts/views.ts';
import { loadDefaultFixtures } from '../../src/simulator/index.ts';
import { expireAccessTokens, startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';
import { tempDir } from '../helpers/cli.ts';
import { mountTmpfs, pageLimitFiller, tmpfsFiller, unmountTmpfs, type DiskFiller } from './disk-fillers.ts';
import {
  generatedAccounts,
  geminiBody,
  integrityCheck,
  pollUntil,
  postJson,
  queryDatabase,
} from './helpers.ts';

const A = 'alice.pro@gmail.com';
const NEW_ACCOUNTS = generatedAccounts(15, 'full');
const WAVE = 20;

/** One proxied request of each protocol in turn; the HTTP status of each. */
async function proxyWave(url: string, size: number, tag: string): Promise<number[]> {
  const calls = Array.from({ length: size }, (_, index) => {
    const text = `${tag} ${index}`;
    switch (index % 3) {
      case 0:
        return postJson(`${url}/v1beta/models/gemini-3-flash:generateContent`, geminiBody(text));
      case 1:
        return postJson(`${url}/v1/chat/completions`, {
          model: 'gemini-3-flash',
          messages: [{ role: 'user', content: text }],
        });
      default:
        return postJson(`${url}/v1/messages`, {
          model: 'claude-sonnet-4-6',
          max_tokens: 200,
          messages: [{ role: 'user', content: text }],
        });
    }
  });
  return (await Promise.all(calls)).map((answer) => answer.status);
}

/** Request-log rows of requests that started at `since` or later. */
function logRowsSince(env: TestEnvironment, since: number): number {
  const row = env.server.ctx.store
    .prepare('SELECT COUNT(*) AS n FROM request_logs WHERE created_at >= ?')
    .get(since) as { n: number };
  return row.n;
}

/** Every message the app logged at `level` since the spy was set, as text. */
function messages(spy: { mock: { calls: unknown[][] } }): string[] {
  return spy.mock.calls.map((args) => args.map((arg) => (typeof arg === 'string' ? arg : '')).join(' '));
}

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function fullDiskScenario(filler: DiskFiller, dataDir: string): Promise<void> {
  env = await startTestEnvironment({
    dataDir,
    simulator: { accounts: [...loadDefaultFixtures().accounts, ...NEW_ACCOUNTS], unmeteredQuota: true },
  });
  const { ctx } = env.server;
  await env.importAccounts(A);
  expect(await proxyWave(env.url, 3, 'before')).toEqual([200, 200, 200]);
  ctx.proxy.log.flush();
  // The first request of the outage must refresh the access token, which it cannot store.
  expireAccessTokens(env.server);
  const errors = vi.spyOn(ctx.logger, 'error');
  const recoveries = vi.spyOn(ctx.logger, 'warn');
  const requestLogErrors = () => messages(errors).filter((text) => text.startsWith('request log'));

  filler.fill(ctx.store);
  const duringOutage: number[] = [];
  for (let wave = 0; wave < 15 && requestLogErrors().length === 0; wave++) {
    duringOutage.push(...(await proxyWave(env.url, WAVE, `outage ${wave}`)));
    await pollUntil(() => requestLogErrors().length > 0, 1000);
  }
  // A second burst after the failure is reported: still one report, not one per batch.
  duringOutage.push(...(await proxyWave(env.url, WAVE, 'outage again')));
  await new Promise((resolve) => setTimeout(resolve, 600));
  const reported = requestLogErrors();

  const imports: Array<{ email: string; status: number; code?: string; message?: string }> = [];
  for (const account of NEW_ACCOUNTS) {
    const answer = await postJson<{ error?: { code: string; message: string } }>(
      `${env.url}/api/accounts/import`,
      { refreshTokens: [env.sim.account(account.email).refreshToken] },
    );
    imports.push({ email: account.email, status: answer.status, ...answer.body.error });
    if (answer.status !== 200) break;
  }
  const refused = imports.at(-1)!;
  // Any other admin write says the same in the admin shape (a page limit lets this small change through).
  const [accountId] = ctx.accounts.service.list().map((account) => account.id);
  const patched = await env.api<{ error?: { code: string; message: string } }>(
    'PATCH',
    `/api/accounts/${accountId}`,
    { label: 'during the outage' },
  );

  filler.free(ctx.store);
  const freedAt = Date.now();
  const afterFree = await proxyWave(env.url, 10, 'after');
  const written = await pollUntil(() => logRowsSince(env!, freedAt) === 10, 3000);
  const reimport = await postJson<{ results: Array<{ outcome: string }> }>(`${env.url}/api/accounts/import`, {
    refreshTokens: [env.sim.account(refused.email).refreshToken],
  });
  const resumed = messages(recoveries).filter((text) => text.startsWith('request log'));
  const { body: listed } = await env.api<{ accounts: AccountView[] }>('GET', '/api/accounts');
  const completed = listed.accounts.find((account) => account.email === refused.email);
  await env.close();
  env = undefined;
  const integrity = integrityCheck(dataDir);
  const storedEmails = queryDatabase<{ email: string }>(dataDir, 'SELECT email FROM accounts').map(
    (row) => row.email,
  );

  console.log(
    `full disk (${filler.name}): ${duringOutage.length} proxied requests during the outage ` +
      `(${duringOutage.filter((status) => status === 200).length} answered 200); request-log errors logged: ` +
      `${reported.length} (${JSON.stringify(reported[0])}); imports: ${imports.length - 1} saved, then ` +
      `${refused.status} ${refused.code} (${JSON.stringify(refused.message)}); a label change: ${patched.status}; after freeing: ` +
      `${JSON.stringify(resumed[0])}, re-import ${reimport.status} ${reimport.body.results?.[0]?.outcome}; ` +
      `integrity_check=${integrity}`,
  );
  expect(duringOutage.every((status) => status === 200)).toBe(true);
  expect(reported).toHaveLength(1);
  expect(reported[0]).toMatch(/disk .*full/i);
  expect(refused).toMatchObject({ status: 507, code: 'storage_full' });
  expect(refused.message).toMatch(/disk .*full/i);
  if (filler.everyWriteFails) {
    expect(patched.status).toBe(507);
    expect(patched.body.error).toMatchObject({
      code: 'storage_full',
      message: expect.stringMatching(/disk .*full/),
    });
  }
  expect(afterFree).toEqual(Array(10).fill(200));
  expect(written).toBe(true);
  expect(resumed).toHaveLength(1);
  expect(reimport.status).toBe(200);
  // A refused import may have stored the account without its quota; importing again completes it.
  expect(['created', 'updated']).toContain(reimport.body.results[0]!.outcome);
  expect(completed?.quota).toMatchObject({ error: null, fetchedAt: expect.any(String) });
  expect(completed?.quota.models.some((model) => model.status === 'known')).toBe(true);
  expect(integrity).toBe('ok');
  expect(storedEmails).toEqual(
    expect.arrayContaining([A, ...imports.map((entry) => entry.email)].map((email) => email)),
  );
}

describe('a full disk', () => {
  it('simulated with a page limit: the proxy serves, the log reports once, an import says 507, writes resume', async () => {
    await fullDiskScenario(pageLimitFiller(), tempDir('full'));
  }, 60_000);

  describe('on a real tmpfs (needs the right to mount: root on Linux)', () => {
    const dir = tempDir('tmpfs');
    let mounted = false;
    beforeAll(() => {
      mounted = mountTmpfs(dir, 8);
    });
    afterAll(() => {
      if (mounted) unmountTmpfs(dir);
    });

    it('ENOSPC: the proxy serves, the log reports once, an import says 507, writes resume', async (test) => {
      if (!mounted) test.skip();
      await fullDiskScenario(tmpfsFiller(dir), dir);
    }, 60_000);
  });
});
