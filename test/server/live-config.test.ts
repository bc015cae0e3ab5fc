import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, spawnCli, stopCli, tempDir, waitForHealth } from '../helpers/cli.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function currentSettings(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/api/config`);
  return (await response.json()) as {
    settings: { scheduling: { mode: string }; ui: { theme: string } };
    overridden: string[];
  };
}

describe('live settings', () => {
  it('applies a changed config file without a restart and keeps the old settings when the file turns invalid', async () => {
    const dataDir = tempDir();
    const configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ scheduling: { mode: 'balance' } }));
    const port = await freePort();
    const cli = spawnCli(['--port', String(port), '--data-dir', dataDir]);
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`);
      expect((await currentSettings(port)).settings.scheduling.mode).toBe('balance');

      writeFileSync(configFile, JSON.stringify({ scheduling: { mode: 'round-robin' } }));
      let mode = '';
      for (let i = 0; i < 60 && mode !== 'round-robin'; i++) {
        await sleep(100);
        mode = (await currentSettings(port)).settings.scheduling.mode;
      }
      expect(mode).toBe('round-robin');

      writeFileSync(configFile, JSON.stringify({ scheduling: { mode: 'chaos' } }));
      for (let i = 0; i < 60 && !cli.output().includes('config file not applied'); i++) await sleep(100);
      expect(cli.output()).toContain('scheduling.mode');
      expect((await currentSettings(port)).settings.scheduling.mode).toBe('round-robin');
    } finally {
      await stopCli(cli);
    }
  });

  it('saves dashboard settings, reports keys a higher source overrides, and refuses start-only sections', async () => {
    const port = await freePort();
    const cli = spawnCli(['--port', String(port), '--data-dir', tempDir()]);
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`);
      const put = (body: unknown) =>
        fetch(`http://127.0.0.1:${port}/api/config`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const ok = await put({ ui: { theme: 'dark' } });
      expect(ok.status).toBe(200);
      expect((await currentSettings(port)).settings.ui.theme).toBe('dark');
      expect((await currentSettings(port)).overridden).toContain('server.port');

      const startOnly = await put({ server: { port: 1 } });
      expect(startOnly.status).toBe(400);
      expect(await startOnly.json()).toMatchObject({ error: { code: 'invalid_setting' } });

      const notObject = await put([1, 2]);
      expect(notObject.status).toBe(400);
      const unknownRoute = await fetch(`http://127.0.0.1:${port}/api/nothing-here`);
      expect(unknownRoute.status).toBe(404);
      expect(await unknownRoute.json()).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      await stopCli(cli);
    }
  });
});
