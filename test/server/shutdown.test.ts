import { request } from 'node:http';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { freePort, spawnCli, stopCli, tempDir, waitForHealth } from '../helpers/cli.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful shutdown', () => {
  it('lets a slow in-flight request finish on SIGTERM, exits 0 and leaves a sound database', async () => {
    const port = await freePort();
    const dataDir = tempDir();
    const cli = spawnCli(['--port', String(port), '--data-dir', dataDir]);
    await waitForHealth(`http://127.0.0.1:${port}/health`);

    const body = JSON.stringify({ ui: { theme: 'dark', language: 'zh-CN' } });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: '/api/config',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      // The body trickles in over ~1.5 s; SIGTERM arrives while it is still being received.
      void (async () => {
        for (let i = 0; i < body.length; i += 8) {
          req.write(body.slice(i, i + 8));
          await sleep(body.length > 0 ? 1500 / (body.length / 8) : 0);
        }
        req.end();
      })();
    });

    await sleep(400);
    cli.child.kill('SIGTERM');
    const result = await response;
    expect(result.status).toBe(200);
    expect(JSON.parse(result.text).settings.ui).toEqual({ theme: 'dark', language: 'zh-CN' });
    expect(await cli.exited).toBe(0);

    const db = new DatabaseSync(join(dataDir, 'better-manager.db'), { readOnly: true });
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    expect(db.prepare("SELECT value FROM settings WHERE key = 'ui'").get()).toEqual({
      value: JSON.stringify({ theme: 'dark', language: 'zh-CN' }),
    });
    db.close();
  });

  it('refuses new connections while draining', async () => {
    const port = await freePort();
    const cli = spawnCli(['--port', String(port), '--data-dir', tempDir()]);
    await waitForHealth(`http://127.0.0.1:${port}/health`);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('a second signal exits at once even with a request still in flight', async () => {
    const port = await freePort();
    const cli = spawnCli(['--port', String(port), '--data-dir', tempDir()]);
    await waitForHealth(`http://127.0.0.1:${port}/health`);
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'PUT',
      path: '/api/config',
      headers: { 'content-type': 'application/json', 'content-length': '1000' },
    });
    req.on('error', () => undefined);
    req.write('{"ui":');
    await sleep(200);
    cli.child.kill('SIGTERM');
    await sleep(300);
    expect(cli.child.exitCode).toBeNull();
    const started = performance.now();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(130);
    expect(performance.now() - started).toBeLessThan(1000);
    req.destroy();
    await stopCli(cli);
  });
});
