import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { simulatorSettings } from '../helpers/app.ts';
import { freePort, spawnCli, tempDir, waitForHealth } from '../helpers/cli.ts';
import { writeFileSync } from 'node:fs';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ unmeteredQuota: true });
});
afterAll(async () => {
  await sim.close();
});

describe('a kill in the middle of work', () => {
  it('SIGKILL while requests and log writes run leaves a sound database with every committed account', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify(simulatorSettings(sim, { server: {} })));
    const port = await freePort();
    const cli = spawnCli(['--port', String(port), '--data-dir', dataDir, '--log-level', 'warn']);
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(`${url}/health`);
    const imported = await fetch(`${url}/api/accounts/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        refreshTokens: [
          sim.account('alice.pro@gmail.com').refreshToken,
          sim.account('bob.free@gmail.com').refreshToken,
        ],
      }),
    });
    expect(((await imported.json()) as { created: number }).created).toBe(2);

    // Keep requests (and so batched log writes and last-use writes) flowing, then kill without warning.
    let stop = false;
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (!stop) {
          try {
            const response = await fetch(`${url}/v1beta/models/gemini-3-flash:generateContent`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'load' }] }] }),
            });
            await response.text();
          } catch {
            return;
          }
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    cli.child.kill('SIGKILL');
    await cli.exited;
    stop = true;
    await load;

    const db = new DatabaseSync(join(dataDir, 'better-manager.db'));
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    expect(
      db
        .prepare('SELECT email FROM accounts ORDER BY email')
        .all()
        .map((row) => row.email),
    ).toEqual(['alice.pro@gmail.com', 'bob.free@gmail.com']);
    expect((db.prepare('SELECT COUNT(*) AS n FROM request_logs').get() as { n: number }).n).toBeGreaterThan(
      0,
    );
    db.close();

    // And the app starts again on it.
    const again = spawnCli([
      '--port',
      String(await freePort()),
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
    ]);
    const againPort = Number(again.child.spawnargs[again.child.spawnargs.indexOf('--port') + 1]);
    await waitForHealth(`http://127.0.0.1:${againPort}/health`);
    const accounts = (await (await fetch(`http://127.0.0.1:${againPort}/api/accounts`)).json()) as {
      accounts: unknown[];
    };
    expect(accounts.accounts).toHaveLength(2);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
