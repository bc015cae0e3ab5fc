import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagsLayer } from '../../src/cli.ts';
import { envLayer } from '../../src/config/env.ts';
import type { Layer } from '../../src/config/layers.ts';
import { resolveSettings, SettingsError } from '../../src/config/resolve.ts';
import { defaultSettings, type SettingsLayer } from '../../src/config/schema.ts';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.ts';

const stored = (values: SettingsLayer): Layer => ({ kind: 'stored', label: 'stored settings', values });
const file = (values: SettingsLayer): Layer => ({ kind: 'file', label: 'config file x.json', values });

/** Each row gives the port in each source (undefined = not set there) and the port that must win. */
const portCases: Array<{
  name: string;
  flag?: string;
  env?: string;
  file?: number;
  stored?: number;
  expected: number;
}> = [
  { name: 'default only', expected: 8094 },
  { name: 'stored beats default', stored: 9001, expected: 9001 },
  { name: 'file beats stored', stored: 9001, file: 9002, expected: 9002 },
  { name: 'env beats file', stored: 9001, file: 9002, env: '9003', expected: 9003 },
  { name: 'flag beats env', stored: 9001, file: 9002, env: '9003', flag: '9004', expected: 9004 },
  { name: 'flag alone', flag: '9004', expected: 9004 },
  { name: 'env beats stored without file', stored: 9001, env: '9003', expected: 9003 },
  { name: 'file beats default', file: 9002, expected: 9002 },
];

describe('settings precedence: flags > env > config file > stored > defaults', () => {
  it.each(portCases)('$name', ({ flag, env, file: filePort, stored: storedPort, expected }) => {
    const settings = resolveSettings([
      stored(storedPort === undefined ? {} : { server: { port: storedPort } }),
      file(filePort === undefined ? {} : { server: { port: filePort } }),
      envLayer(env === undefined ? {} : { BETTER_MANAGER_PORT: env }),
      flagsLayer(flag === undefined ? {} : { port: flag }),
    ]);
    expect(settings.server.port).toBe(expected);
  });

  it('merges sections key by key across sources and keeps defaults for the rest', () => {
    const settings = resolveSettings([
      stored({ scheduling: { mode: 'round-robin', maxWaitSeconds: 5 }, ui: { theme: 'dark' } }),
      file({ scheduling: { mode: 'balance' } }),
      envLayer({
        BETTER_MANAGER_UPSTREAM_URLS: 'http://a.test, http://b.test',
        BETTER_MANAGER_API_KEY: 'key-one-123,key-two-456',
      }),
      flagsLayer({ logLevel: 'debug' }),
    ]);
    expect(settings.scheduling).toMatchObject({ mode: 'balance', maxWaitSeconds: 5, stickyTtlSeconds: 3600 });
    expect(settings.ui).toEqual({ language: 'en', theme: 'dark' });
    expect(settings.upstream.baseUrls).toEqual(['http://a.test', 'http://b.test']);
    expect(settings.proxy.apiKeys).toEqual(['key-one-123', 'key-two-456']);
    expect(settings.server.logLevel).toBe('debug');
    expect(settings.quotaProtection).toEqual(defaultSettings().quotaProtection);
  });

  it('takes the outbound proxy from BETTER_MANAGER_HTTP_PROXY before HTTPS_PROXY', () => {
    expect(envLayer({ HTTPS_PROXY: 'http://b:1', BETTER_MANAGER_HTTP_PROXY: 'http://a:1' }).values).toEqual({
      upstream: { httpProxy: 'http://a:1' },
    });
    expect(resolveSettings([envLayer({ HTTPS_PROXY: 'http://b:1' })]).upstream.httpProxy).toBe('http://b:1');
  });

  const invalid: Array<{ source: string; layer: Layer; key: string; names: string }> = [
    { source: 'flag', layer: flagsLayer({ port: 'eighty' }), key: 'server.port', names: '--port' },
    { source: 'flag', layer: flagsLayer({ logLevel: 'loud' }), key: 'server.logLevel', names: '--log-level' },
    {
      source: 'env',
      layer: envLayer({ BETTER_MANAGER_PORT: '70000' }),
      key: 'server.port',
      names: 'BETTER_MANAGER_PORT',
    },
    {
      source: 'env',
      layer: envLayer({ BETTER_MANAGER_UPSTREAM_URLS: 'not a url' }),
      key: 'upstream.baseUrls.0',
      names: 'BETTER_MANAGER_UPSTREAM_URLS',
    },
    {
      source: 'file',
      layer: file({ scheduling: { mode: 'random' } }),
      key: 'scheduling.mode',
      names: 'config file',
    },
    {
      source: 'file',
      layer: file({ scheduling: { mood: 'sticky' } }),
      key: 'scheduling.mood',
      names: 'config file',
    },
    {
      source: 'file',
      layer: file({ retry: { maxAttempts: 0 } }),
      key: 'retry.maxAttempts',
      names: 'config file',
    },
    {
      source: 'stored',
      layer: stored({ quotaProtection: { thresholdPercent: 250 } }),
      key: 'quotaProtection.thresholdPercent',
      names: 'stored settings',
    },
    { source: 'stored', layer: stored({ ui: { theme: 'neon' } }), key: 'ui.theme', names: 'stored settings' },
  ];

  it.each(invalid)('an invalid $source value names the key $key and its source', ({ layer, key, names }) => {
    let caught: unknown;
    try {
      resolveSettings([layer]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    expect((caught as SettingsError).key.startsWith(key.replace(/\.0$/, ''))).toBe(true);
    expect((caught as Error).message).toContain(`"${(caught as SettingsError).key}"`);
    expect((caught as Error).message).toContain(names);
  });
});

describe('invalid settings stop the start with exit code 2', () => {
  const cases: Array<{
    name: string;
    args: (dir: string) => string[];
    env?: Record<string, string>;
    key: string;
  }> = [
    { name: 'flag', args: (dir) => ['--data-dir', dir, '--port', 'x'], key: 'server.port' },
    {
      name: 'env',
      args: (dir) => ['--data-dir', dir],
      env: { BETTER_MANAGER_LOG_LEVEL: 'chatty' },
      key: 'server.logLevel',
    },
    {
      name: 'config file',
      args: (dir) => {
        writeFileSync(join(dir, 'config.json'), JSON.stringify({ scheduling: { mode: 'dice' } }));
        return ['--data-dir', dir];
      },
      key: 'scheduling.mode',
    },
    {
      name: 'config file that is not JSON',
      args: (dir) => {
        writeFileSync(join(dir, 'custom.json'), '{ nope');
        return ['--data-dir', dir, '--config', join(dir, 'custom.json')];
      },
      key: 'not valid JSON',
    },
    {
      name: 'missing explicit config file',
      args: (dir) => ['--data-dir', dir, '--config', join(dir, 'absent.json')],
      key: 'absent.json',
    },
  ];

  it.each(cases)('$name', async ({ args, env, key }) => {
    const dir = tempDir();
    const result = await runCli(args(dir), { env: cleanEnv(env) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(key);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad value saved in the database is named too', async () => {
    const { Store } = await import('../../src/store/database.ts');
    const { migrate } = await import('../../src/store/migrations.ts');
    const dir = tempDir();
    const store = new Store(join(dir, 'better-manager.db'));
    migrate(store);
    store
      .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)')
      .run('ui', '{"language":"klingon"}', 1);
    store.close();
    const result = await runCli(['--data-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"ui.language"');
    expect(result.stderr).toContain('saved from the dashboard');
  });
});
