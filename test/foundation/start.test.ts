import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { cleanEnv, freePort, ROOT, runCli, tempDir, trackChild, waitForHealth } from '../helpers/cli.ts';
import { VERSION } from '../../src/version.ts';

describe('starting the app', () => {
  it('`npm start` answers /health within 1.5 s of process start and creates the data folder and database', async () => {
    const port = await freePort();
    const dataDir = join(tempDir(), 'nested', 'data');
    const started = performance.now();
    // detached: npm runs the app in a child; killing the group stops both.
    const child = spawn('npm', ['start', '--silent', '--', '--port', String(port)], {
      cwd: ROOT,
      env: cleanEnv({ BETTER_MANAGER_DATA_DIR: dataDir }),
      detached: true,
      stdio: 'ignore',
    });
    trackChild(child, true);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const elapsed = await waitForHealth(`http://127.0.0.1:${port}/health`, 5000, started);
      console.log(`npm start → /health answered after ${elapsed.toFixed(0)} ms`);
      expect(elapsed).toBeLessThan(1500);
      const body = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
      expect(body).toEqual({ status: 'ok', version: VERSION });
      const dbPath = join(dataDir, 'better-manager.db');
      expect(existsSync(dbPath)).toBe(true);
      const db = new DatabaseSync(dbPath, { readOnly: true });
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      db.close();
      expect(tables.map((row) => row.name)).toContain('accounts');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });

  it('prints the version and help without starting anything', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(VERSION);
    const help = await runCli(['serve', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--port', '--host', '--data-dir', '--config', '--open', '--log-level']) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('`--help` shows the commands and the flags of serve, the default command', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    for (const command of ['serve', 'demo', 'accounts'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    for (const flag of ['--port', '--host', '--data-dir', '--config', '--open', '--log-level']) {
      expect(help.stdout).toMatch(new RegExp(`^  (-\\w, )?${flag}\\b`, 'm'));
    }
  });

  it('refuses an unknown command or flag with exit code 2', async () => {
    const result = await runCli(['serve', '--no-such-flag'], {
      env: cleanEnv({ BETTER_MANAGER_DATA_DIR: tempDir() }),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--no-such-flag');
  });
});
