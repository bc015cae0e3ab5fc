import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { simulatorSettings } from '../helpers/app.ts';
import { cleanEnv, freePort, runCli, spawnCli, stopCli, tempDir, waitForHealth } from '../helpers/cli.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
});

/** A data folder whose config file points at the simulator, as a user behind a relay would set it. */
function dataFolder(): string {
  const dir = tempDir();
  const { upstream } = simulatorSettings(sim) as { upstream: unknown };
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ upstream }));
  return dir;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('better-manager accounts', () => {
  it('imports, lists, exports and removes accounts in a data folder', async () => {
    const dir = dataFolder();
    const tokens = join(dir, 'tokens.txt');
    writeFileSync(
      tokens,
      `${sim.account('alice.pro@gmail.com').refreshToken}\n1//0g-bogus-token\n${sim.account('bob.free@gmail.com').refreshToken}\n`,
    );
    const imported = await runCli(['accounts', '--data-dir', dir, 'import', tokens]);
    expect(imported.stdout).toContain('created  alice.pro@gmail.com (active)');
    expect(imported.stdout).toMatch(/failed\s+entry 2: .*invalid_grant/);
    expect(imported.stdout).toContain('2 imported, 1 failed');
    expect(imported.code).toBe(1);

    const list = await runCli(['accounts', '--data-dir', dir, 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/alice\.pro@gmail\.com\s+active\s+pro\s+useful-fuze-x7k2p/);
    expect(list.stdout).toContain('bob.free@gmail.com');
    expect(list.stdout).not.toContain(sim.account('alice.pro@gmail.com').refreshToken);

    const exportFile = join(dir, 'export.json');
    expect((await runCli(['accounts', '--data-dir', dir, 'export', exportFile])).code).toBe(0);
    expect(statSync(exportFile).mode & 0o777).toBe(0o600);
    const exported = JSON.parse(readFileSync(exportFile, 'utf8'));
    expect(exported.accounts.map((a: { refreshToken: string }) => a.refreshToken)).toContain(
      sim.account('bob.free@gmail.com').refreshToken,
    );

    const removed = await runCli(['accounts', '--data-dir', dir, 'remove', 'bob.free@gmail.com']);
    expect(removed.stdout).toContain('Removed bob.free@gmail.com');
    const json = JSON.parse((await runCli(['accounts', '--data-dir', dir, 'list', '--json'])).stdout);
    expect(json.map((a: { email: string }) => a.email)).toEqual(['alice.pro@gmail.com']);

    const reimported = await runCli(['accounts', '--data-dir', dir, 'import', exportFile]);
    expect(reimported.stdout).toContain('updated  alice.pro@gmail.com');
    expect(reimported.stdout).toContain('created  bob.free@gmail.com');
    expect(reimported.code).toBe(0);

    const missing = await runCli(['accounts', '--data-dir', dir, 'remove', 'nobody@example.com']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No account matches');
  });

  it('adds an account by OAuth through its own loopback callback', async () => {
    const dir = dataFolder();
    sim.nextLogin('carol.ultra@gmail.com');
    const cli = spawnCli(['accounts', '--data-dir', dir, 'add', '--no-browser']);
    let authUrl: string | undefined;
    for (let i = 0; i < 100 && !authUrl; i++) {
      authUrl = /(http:\/\/\S+\/o\/oauth2\/v2\/auth\?\S+)/.exec(cli.stdout())?.[1];
      if (!authUrl) await sleep(30);
    }
    expect(authUrl).toBeDefined();
    const consent = await fetch(authUrl!, { redirect: 'manual' });
    const page = await fetch(consent.headers.get('location')!);
    expect(await page.text()).toContain('carol.ultra@gmail.com added');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain('Added carol.ultra@gmail.com (active, tier ultra)');
  });

  it('adds an account from a pasted code', async () => {
    const dir = dataFolder();
    sim.nextLogin('bob.free@gmail.com');
    const cli = spawnCli(['accounts', '--data-dir', dir, 'add', '--no-browser']);
    let authUrl: string | undefined;
    for (let i = 0; i < 100 && !authUrl; i++) {
      authUrl = /(http:\/\/\S+\/o\/oauth2\/v2\/auth\?\S+)/.exec(cli.stdout())?.[1];
      if (!authUrl) await sleep(30);
    }
    const consent = await fetch(authUrl!, { redirect: 'manual' });
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
    cli.child.stdin.write('not a code\n');
    await sleep(200);
    cli.child.stdin.write(`${code}\n`);
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toContain('Paste again');
    expect(cli.stdout()).toContain('Added bob.free@gmail.com');
  });
});

describe('better-manager demo', () => {
  it('serves the sample accounts with quotas on a temporary data folder and removes it at exit', async () => {
    const port = await freePort();
    const cli = spawnCli(['demo', '--port', String(port)], { env: cleanEnv() });
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`);
      for (let i = 0; i < 200 && !cli.output().includes('sample accounts imported'); i++) await sleep(50);
      const { accounts } = (await (await fetch(`http://127.0.0.1:${port}/api/accounts`)).json()) as {
        accounts: Array<{ email: string; state: string; quota: { models: Array<{ status: string }> } }>;
      };
      expect(accounts.length).toBeGreaterThanOrEqual(5);
      const active = accounts.filter((a) => a.state === 'active');
      expect(active.length).toBeGreaterThanOrEqual(3);
      for (const account of active) expect(account.quota.models.some((m) => m.status === 'known')).toBe(true);
      expect(accounts.some((a) => a.state === 'forbidden')).toBe(true);
      const config = (await (await fetch(`http://127.0.0.1:${port}/api/config`)).json()) as {
        demo: boolean;
        dataDir: string;
      };
      expect(config.demo).toBe(true);
      expect(config.dataDir).toContain('better-manager-demo-');
      await stopCli(cli);
      expect(await cli.exited).toBe(0);
      expect(existsSync(config.dataDir)).toBe(false);
    } finally {
      await stopCli(cli);
    }
  });
});
