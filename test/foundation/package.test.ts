import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cleanEnv,
  freePort,
  ROOT,
  runCli,
  spawnCli,
  stopCli,
  tempDir,
  waitForHealth,
} from '../helpers/cli.ts';

function folderBytes(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + folderBytes(join(path, name)), 0);
}

const npmEnv = () => cleanEnv({ npm_config_loglevel: 'error', npm_config_update_notifier: 'false' });

describe('the published package', () => {
  it('has no runtime dependencies and no install scripts', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    expect(pkg.bundleDependencies ?? []).toEqual([]);
    const production = JSON.parse(
      execFileSync('npm', ['ls', '--omit=dev', '--all', '--json'], {
        cwd: ROOT,
        env: npmEnv(),
        encoding: 'utf8',
      }),
    );
    expect(production.dependencies ?? {}).toEqual({});
    const scripts = execFileSync('npm', ['install-scripts', 'ls'], {
      cwd: ROOT,
      env: npmEnv(),
      encoding: 'utf8',
    });
    expect(scripts).toContain('No packages with unreviewed install scripts');
  });

  it('installs from the packed tarball with npm defaults, stays under 20 MB and serves /health', async () => {
    const packDir = tempDir('bm-pack-');
    execFileSync('npm', ['pack', '--pack-destination', packDir], {
      cwd: ROOT,
      env: npmEnv(),
      stdio: 'ignore',
    });
    const tarball = readdirSync(packDir).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const tarballBytes = statSync(join(packDir, tarball!)).size;

    const installDir = tempDir('bm-install-');
    execFileSync('npm', ['init', '-y'], { cwd: installDir, env: npmEnv(), stdio: 'ignore' });
    // npm reports a package's lifecycle scripts at install (npm 11 "install-scripts"): there must be none.
    const installed = spawnSync('npm', ['install', join(packDir, tarball!)], {
      cwd: installDir,
      env: cleanEnv({ npm_config_update_notifier: 'false' }),
      encoding: 'utf8',
    });
    expect(installed.status, installed.stderr).toBe(0);
    expect(`${installed.stdout}${installed.stderr}`).not.toMatch(/install-scripts|install script/i);
    const manifest = JSON.parse(
      readFileSync(join(installDir, 'node_modules', 'better-manager', 'package.json'), 'utf8'),
    ) as { scripts?: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
      expect(manifest.scripts?.[hook], hook).toBeUndefined();
    const installedBytes = folderBytes(join(installDir, 'node_modules'));
    const total = tarballBytes + installedBytes;
    console.log(
      `tarball ${(tarballBytes / 1e6).toFixed(2)} MB + installed node_modules ${(installedBytes / 1e6).toFixed(2)} MB = ${(total / 1e6).toFixed(2)} MB`,
    );
    expect(total).toBeLessThan(20 * 1024 * 1024);
    expect(readdirSync(join(installDir, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual([
      'better-manager',
    ]);

    const bin = join(installDir, 'node_modules', '.bin', 'better-manager');
    const version = await runCli(['--version'], { command: [bin] });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    const port = await freePort();
    const cli = spawnCli(['serve', '--port', String(port), '--data-dir', tempDir()], {
      command: [bin],
      cwd: installDir,
    });
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`);
    } finally {
      await stopCli(cli);
    }
    expect(await cli.exited).toBe(0);
  });
});
