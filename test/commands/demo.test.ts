import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  cleanEnv,
  freePort,
  spawnCli,
  stopCli,
  tempDir,
  waitForHealth,
  type RunningCli,
} from '../helpers/cli.ts';

const GENERATE_BODY = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startDemo(
  extra = ['--log-level', 'warn'],
  env: Record<string, string> = {},
): Promise<{ cli: RunningCli; url: string }> {
  const port = await freePort();
  const cli = spawnCli(['demo', '--port', String(port), ...extra], { env: cleanEnv(env) });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(`${url}/health`, 20_000);
  return { cli, url };
}

async function demoDataDir(url: string): Promise<string> {
  const config = (await (await fetch(`${url}/api/config`)).json()) as { dataDir: string };
  expect(config.dataDir).toContain('better-manager-demo-');
  return config.dataDir;
}

describe('better-manager demo', () => {
  it('answers /health with 200 only once its sample accounts are loaded: the next proxied request succeeds', async () => {
    const { cli, url } = await startDemo();
    try {
      const response = await fetch(`${url}/v1beta/models/gemini-3-flash:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: GENERATE_BODY,
      });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      expect(JSON.parse(text).candidates?.length).toBeGreaterThan(0);
    } finally {
      await stopCli(cli);
    }
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('removes its temporary data folder on %s', async (signal) => {
    const { cli, url } = await startDemo();
    try {
      const dataDir = await demoDataDir(url);
      expect(existsSync(dataDir)).toBe(true);
      cli.child.kill(signal);
      expect(await cli.exited).toBe(0);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await stopCli(cli);
    }
  });

  it('removes its temporary data folder also when a second signal exits at once', async () => {
    const { cli, url } = await startDemo(['--log-level', 'info']);
    try {
      const dataDir = await demoDataDir(url);
      // A request whose body never ends keeps the graceful stop waiting for it.
      const { port } = new URL(url);
      const pending = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1beta/models/gemini-3-flash:generateContent',
        headers: { 'content-type': 'application/json', 'content-length': '1000' },
      });
      pending.on('error', () => undefined);
      pending.write('{"contents":');
      await new Promise((resolve) => pending.once('socket', (socket) => socket.once('connect', resolve)));
      await sleep(200);
      cli.child.kill('SIGINT');
      for (let i = 0; i < 200 && !cli.output().includes('SIGINT received'); i++) await sleep(25);
      expect(cli.output()).toContain('SIGINT received');
      expect(existsSync(dataDir)).toBe(true);
      cli.child.kill('SIGINT');
      expect(await cli.exited).toBe(130);
      expect(existsSync(dataDir)).toBe(false);
      pending.destroy();
    } finally {
      await stopCli(cli);
    }
  });

  it('removes its temporary data folder when stopped while it starts', async () => {
    const port = await freePort();
    const cli = spawnCli(['demo', '--port', String(port), '--log-level', 'info'], { env: cleanEnv() });
    try {
      let dataDir: string | undefined;
      for (let i = 0; i < 400 && !dataDir; i++) {
        dataDir = /temporary data folder (\S+) \(removed at exit\)/.exec(cli.output())?.[1];
        if (!dataDir) await sleep(10);
      }
      expect(dataDir).toBeDefined();
      cli.child.kill('SIGTERM');
      expect(await cli.exited).not.toBeNull();
      expect(existsSync(dataDir!)).toBe(false);
    } finally {
      await stopCli(cli);
    }
  });

  it('removes the folders that earlier demos killed outright left behind, and no other', async () => {
    const parent = tempDir('demo-tmp-');
    const folder = (name: string, owner?: number) => {
      mkdirSync(join(parent, name));
      if (owner !== undefined) writeFileSync(join(parent, name, 'demo.pid'), String(owner));
    };
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    folder('better-manager-demo-killed', ended);
    folder('better-manager-demo-running', process.pid);
    folder('better-manager-demo-no-owner');
    folder('something-else', ended);
    const { cli, url } = await startDemo(['--log-level', 'info'], {
      TMPDIR: parent,
      TMP: parent,
      TEMP: parent,
    });
    try {
      const own = await demoDataDir(url);
      expect(own.startsWith(parent)).toBe(true);
      const left = readdirSync(parent).sort();
      expect(left).not.toContain('better-manager-demo-killed');
      expect(left).toEqual(
        expect.arrayContaining([
          'better-manager-demo-running',
          'better-manager-demo-no-owner',
          'something-else',
        ]),
      );
      expect(cli.output()).toContain('removed 1 data folder(s) left by earlier demos that were killed');
    } finally {
      await stopCli(cli);
    }
  });
});
