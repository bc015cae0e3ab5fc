import { statSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QuotaScheduler, STARTUP_REFRESH_DELAY_MS } from '../../src/accounts/quota-scheduler.ts';
import type { AccountsService } from '../../src/accounts/service.ts';
import { SettingsService } from '../../src/config/settings-service.ts';
import { createLogger } from '../../src/logger.ts';
import { Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrations.ts';
import { SettingsTable } from '../../src/store/settings-table.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';
import { tempDir } from '../helpers/cli.ts';

let env: TestEnvironment | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await env?.close();
  proxy?.close();
  proxy?.closeAllConnections();
  env = undefined;
  proxy = undefined;
});

/** A minimal HTTP proxy: CONNECT tunnels and absolute-URI forwarding, counting what passes. */
async function startProxy(): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    const tunnel = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      tunnel.write(head);
      tunnel.pipe(socket);
      socket.pipe(tunnel);
    });
    tunnel.on('error', () => socket.destroy());
    socket.on('error', () => tunnel.destroy());
  });
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`, seen };
}

describe('outbound transport', () => {
  it('sends every Google call through the configured HTTP proxy', async () => {
    const { url, seen } = await startProxy();
    env = await startTestEnvironment({ settings: { upstream: { httpProxy: url } } });
    const answer = await env.api<{ created: number }>('POST', '/api/accounts/import', {
      refreshTokens: [env.sim.account('alice.pro@gmail.com').refreshToken],
    });
    expect(answer.body.created).toBe(1);
    const simHost = new URL(env.sim.url).host;
    expect(seen.some((line) => line.includes(simHost))).toBe(true);
  });

  it('keeps the secret key in a 0600 file of the data folder', async () => {
    env = await startTestEnvironment();
    expect(statSync(join(env.dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
  });
});

describe('background quota refresh', () => {
  it('refreshes stale accounts soon after start, then runs on the configured interval and re-arms when the setting changes', async () => {
    vi.useFakeTimers();
    try {
      const store = new Store(join(tempDir(), 'scheduler.db'));
      migrate(store);
      const settings = new SettingsService({
        table: new SettingsTable(store),
        configPath: join(tempDir(), 'none.json'),
        configExplicit: false,
        env: { kind: 'env', label: 'env', values: {} },
        flags: { kind: 'flag', label: 'flags', values: {} },
      });
      let runs = 0;
      const calls: Array<{ staleBefore?: number }> = [];
      const accounts = {
        refreshAll: async (options: { staleBefore?: number }) => {
          runs++;
          calls.push(options);
        },
      } as unknown as AccountsService;
      const scheduler = new QuotaScheduler(accounts, settings, createLogger('silent'));
      const startedAt = Date.now();
      scheduler.start();
      // Soon after start: the accounts not fetched within one interval (10 min by default).
      await vi.advanceTimersByTimeAsync(STARTUP_REFRESH_DELAY_MS);
      expect(calls).toEqual([{ staleBefore: startedAt + STARTUP_REFRESH_DELAY_MS - 10 * 60_000 }]);
      await vi.advanceTimersByTimeAsync(10 * 60_000 - STARTUP_REFRESH_DELAY_MS);
      expect(runs).toBe(2);
      expect(calls[1]).toEqual({});
      settings.update({ refresh: { quotaIntervalMinutes: 1 } });
      await vi.advanceTimersByTimeAsync(3 * 60_000);
      expect(runs).toBe(5);
      settings.update({ refresh: { quotaIntervalMinutes: 0 } });
      await vi.advanceTimersByTimeAsync(60 * 60_000);
      expect(runs).toBe(5);
      await scheduler.stop();
      settings.close();
      store.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
