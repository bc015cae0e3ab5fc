import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
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

const onWindows = process.platform === 'win32';

function folderBytes(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + folderBytes(join(path, name)), 0);
}

const npmEnv = (extra: Record<string, string> = {}) =>
  cleanEnv({ npm_config_loglevel: 'error', npm_config_update_notifier: 'false', ...extra });

/**
 * Runs npm or npx and returns its output; a non-zero exit fails the test with npm's own words.
 * On Windows both are .cmd scripts, which Node starts only through the shell: the command line is
 * then quoted here (the arguments are paths and flags, never user input).
 */
function npmTool(
  tool: 'npm' | 'npx',
  args: string[],
  options: SpawnSyncOptions & { allowFailure?: boolean } = {},
) {
  const settings: SpawnSyncOptions = {
    cwd: ROOT,
    env: npmEnv(),
    encoding: 'utf8',
    timeout: 180_000,
    ...options,
  };
  const result = onWindows
    ? spawnSync([tool, ...args].map((part) => `"${part}"`).join(' '), { ...settings, shell: true })
    : spawnSync(tool, args, settings);
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (!options.allowFailure)
    expect(result.status, `${tool} ${args.join(' ')}: ${stderr || result.error}`).toBe(0);
  return { status: result.status, stdout, stderr };
}

describe('the published package', () => {
  it('has no runtime dependencies and no install scripts', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    expect(pkg.bundleDependencies ?? []).toEqual([]);
    const production = JSON.parse(npmTool('npm', ['ls', '--omit=dev', '--all', '--json']).stdout);
    expect(production.dependencies ?? {}).toEqual({});
    const scripts = npmTool('npm', ['install-scripts', 'ls']).stdout;
    expect(scripts).toContain('No packages with unreviewed install scripts');
  }, 60_000);

  it("the README's tarball commands name the file npm pack writes", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const named = [...readme.matchAll(/better-manager-(\d[\w.-]*)\.tgz/g)].map((match) => match[1]);
    expect(named.length).toBeGreaterThanOrEqual(3);
    expect(new Set(named)).toEqual(new Set([version]));
  });

  it('installs from the packed tarball in an empty folder, stays under 20 MB and runs with npx', async () => {
    const packDir = tempDir('bm-pack-');
    // prepack builds dist/ (server bundle and dashboard) first.
    npmTool('npm', ['pack', '--pack-destination', packDir]);
    const tarball = readdirSync(packDir).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const tarballBytes = statSync(join(packDir, tarball!)).size;

    const installDir = tempDir('bm-install-');
    npmTool('npm', ['init', '-y'], { cwd: installDir });
    // npm reports a package's lifecycle scripts at install (npm 11 "install-scripts"): there must be none.
    const installed = npmTool('npm', ['install', join(packDir, tarball!)], {
      cwd: installDir,
      env: cleanEnv({ npm_config_update_notifier: 'false' }),
    });
    expect(`${installed.stdout}${installed.stderr}`).not.toMatch(/install-scripts|install script/i);
    const packageDir = join(installDir, 'node_modules', 'better-manager');
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      version: string;
      scripts?: Record<string, string>;
      bin: Record<string, string>;
    };
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

    // npx finds the installed command, as a user typing `npx better-manager` in that folder.
    const version = npmTool('npx', ['better-manager', '--version'], { cwd: installDir });
    expect(version.stdout.trim()).toBe(manifest.version);

    // The server is started through the package's bin entry with node directly, so that the test
    // stops the server itself (npx would sit between, and on Windows it is a .cmd script).
    const bin = join(packageDir, manifest.bin['better-manager']!);
    const direct = await runCli(['--version'], { command: [process.execPath, bin] });
    expect(direct.stdout.trim()).toBe(version.stdout.trim());
    const port = await freePort();
    const cli = spawnCli(['serve', '--port', String(port), '--data-dir', tempDir()], {
      command: [process.execPath, bin],
      cwd: installDir,
    });
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`);
      await expectDashboard(`http://127.0.0.1:${port}`);
    } finally {
      await stopCli(cli);
    }
    // Windows has no SIGTERM: the process is ended from outside and has no exit code of its own.
    if (!onWindows) expect(await cli.exited).toBe(0);
  }, 180_000); // packing builds and npm installs: past the default timeout on a busy machine
});

/** `/` is the built dashboard from the package's dist/web, and its hashed assets are cached a year. */
async function expectDashboard(base: string): Promise<void> {
  const page = await fetch(`${base}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(page.headers.get('cache-control')).toBe('no-cache');
  const html = await page.text();
  expect(html).toContain('<div id="root"></div>');
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
  const script = assets.find((path) => path.endsWith('.js'));
  expect(script, html).toMatch(/^\/assets\/[\w-]+-[\w-]{8}\.js$/);
  const asset = await fetch(`${base}${script}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get('content-type')).toContain('text/javascript');
  expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect((await asset.text()).length).toBeGreaterThan(1000);
}
