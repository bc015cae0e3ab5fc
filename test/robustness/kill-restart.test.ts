import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { stopCli, tempDir } from '../helpers/cli.ts';
import {
  generatedAccounts,
  geminiBody,
  integrityCheck,
  postJson,
  queryDatabase,
  serveOnSimulator,
} from './helpers.ts';

const SEED = 'robust-seed@example.com';
const ACCOUNTS = generatedAccounts(160);
/** Import calls answered before the kill: enough that it lands in the middle of the burst on any machine. */
const KILL_AFTER_ACKNOWLEDGED = 40;
const IMPORT_WORKERS = 6;
const PROXY_WORKERS = 6;

interface ImportAnswer {
  results: Array<{ outcome: 'created' | 'updated' | 'failed'; email?: string; error?: string }>;
}

interface Acknowledged {
  email: string;
  outcome: 'created' | 'updated';
  label: string;
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    accounts: [{ email: SEED, tier: 'pro', project: 'seed-project' }, ...ACCOUNTS],
    unmeteredQuota: true,
  });
});
afterAll(async () => {
  await sim?.close();
});

describe('kill -9 during a burst of imports and proxied requests', () => {
  it('restarts on a sound database that holds every import answered 2xx', async () => {
    const dataDir = tempDir('kill');
    const first = await serveOnSimulator(sim, dataDir);
    const seeded = await postJson<ImportAnswer>(`${first.url}/api/accounts/import`, {
      refreshTokens: [sim.account(SEED).refreshToken],
    });
    expect(seeded.body.results[0]!.outcome).toBe('created');

    const acknowledged: Acknowledged[] = [];
    const createdEmails: string[] = [];
    let inFlight = 0;
    let inFlightAtKill = -1;
    let proxiedOk = 0;
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      inFlightAtKill = inFlight;
      first.cli.child.kill('SIGKILL');
    };

    // Each call imports one account; every fourth re-imports an account already answered as created
    // under a new label, so that acknowledged updates are checked as well as inserts.
    let nextAccount = 0;
    let updates = 0;
    const nextImport = (): { email: string; label: string } | undefined => {
      if (createdEmails.length > updates && (nextAccount + updates) % 4 === 3) {
        const email = createdEmails[updates]!;
        updates++;
        return { email, label: `updated-${updates}` };
      }
      const account = ACCOUNTS[nextAccount++];
      return account && { email: account.email, label: `created-${nextAccount}` };
    };
    const importWorker = async () => {
      for (let item = nextImport(); item && !killed; item = nextImport()) {
        inFlight++;
        try {
          const { refreshToken } = sim.account(item.email);
          const answer = await postJson<ImportAnswer>(`${first.url}/api/accounts/import`, {
            accounts: [{ refreshToken, label: item.label }],
          });
          const result = answer.body.results[0]!;
          expect(answer.status).toBe(200);
          expect(result.outcome, result.error).not.toBe('failed');
          if (result.outcome !== 'failed') {
            acknowledged.push({ email: item.email, outcome: result.outcome, label: item.label });
            if (result.outcome === 'created') createdEmails.push(item.email);
          }
          if (acknowledged.length >= KILL_AFTER_ACKNOWLEDGED) kill();
        } catch (error) {
          // Only the kill may break a call: the connection is reset, the answer never comes.
          if (!killed) throw error;
        } finally {
          inFlight--;
        }
      }
    };
    const proxyWorker = async (index: number) => {
      for (let turn = 0; !killed; turn++) {
        try {
          const stream = turn % 2 === 0;
          const method = stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
          const response = await fetch(`${first.url}/v1beta/models/gemini-3-flash:${method}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(geminiBody(`load ${index}.${turn}`)),
          });
          await response.text();
          if (response.status === 200) proxiedOk++;
        } catch (error) {
          if (!killed) throw error;
        }
      }
    };
    await Promise.all([
      ...Array.from({ length: IMPORT_WORKERS }, importWorker),
      ...Array.from({ length: PROXY_WORKERS }, (_, index) => proxyWorker(index)),
    ]);
    expect(killed).toBe(true);
    await first.cli.exited;
    expect(first.cli.child.signalCode).toBe('SIGKILL');

    const integrity = integrityCheck(dataDir);
    const stored = queryDatabase<{ email: string; label: string | null }>(
      dataDir,
      'SELECT email, label FROM accounts',
    );

    const second = await serveOnSimulator(sim, dataDir);
    const listed = await (await fetch(`${second.url}/api/accounts`)).json();
    const labels = new Map(
      (listed as { accounts: Array<{ email: string; label: string | null }> }).accounts.map((account) => [
        account.email,
        account.label,
      ]),
    );
    const lost = acknowledged.filter(
      (ack) => !labels.has(ack.email) || (ack.outcome === 'updated' && labels.get(ack.email) !== ack.label),
    );
    const served = await postJson(
      `${second.url}/v1beta/models/gemini-3-flash:generateContent`,
      geminiBody('after restart'),
    );
    await stopCli(second.cli);

    const created = acknowledged.filter((ack) => ack.outcome === 'created').length;
    console.log(
      `kill -9: ${acknowledged.length} imports acknowledged (${created} created, ${acknowledged.length - created} updated), ` +
        `${inFlightAtKill} in flight at the kill, ${proxiedOk} proxied requests answered 200 before it; ` +
        `after restart: integrity_check=${integrity}, ${stored.length - 1} burst accounts in the database, ` +
        `${acknowledged.length - lost.length} of ${acknowledged.length} acknowledged imports found`,
    );
    expect(integrity).toBe('ok');
    expect(lost).toEqual([]);
    // The kill landed in the middle of the burst, with work still under way.
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKNOWLEDGED);
    expect(acknowledged.some((ack) => ack.outcome === 'updated')).toBe(true);
    expect(proxiedOk).toBeGreaterThan(0);
    expect(labels.size).toBe(stored.length);
    expect(served.status).toBe(200);
  }, 60_000);
});
