import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../src/open-browser.ts';
import { cleanEnv, freePort, spawnCli, stopCli, tempDir, waitForHealth } from '../helpers/cli.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('--open', () => {
  it('opens the dashboard URL with the platform opener', async () => {
    const bin = tempDir();
    const record = join(bin, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" > "${record}"\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const port = await freePort();
    const cli = spawnCli(['--port', String(port), '--data-dir', tempDir(), '--open'], {
      env: cleanEnv({ PATH: `${bin}:${process.env.PATH}`, DISPLAY: ':99' }),
    });
    await waitForHealth(`http://127.0.0.1:${port}/health`);
    for (let i = 0; i < 50 && !existsSync(record); i++) await sleep(20);
    await stopCli(cli);
    expect(readFileSync(record, 'utf8').trim()).toBe(`http://127.0.0.1:${port}`);
  });

  it('is ignored with a warning where no browser can be opened, and the server keeps running', async () => {
    const port = await freePort();
    const env = cleanEnv();
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const cli = spawnCli(['--port', String(port), '--data-dir', tempDir(), '--open'], { env });
    await waitForHealth(`http://127.0.0.1:${port}/health`);
    for (let i = 0; i < 50 && !cli.output().includes('--open ignored'); i++) await sleep(20);
    expect(cli.output()).toContain('--open ignored');
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    await stopCli(cli);
    expect(await cli.exited).toBe(0);
  });

  it.each([
    ['darwin', 'open'],
    ['win32', 'cmd'],
    ['linux', 'xdg-open'],
  ] as const)('uses the right opener on %s', (platform, command) => {
    expect(browserCommand('http://127.0.0.1:8094', platform)[0]).toBe(command);
  });
});
