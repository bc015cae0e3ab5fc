import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMP_PREFIX } from './helpers/cli.ts';
import { logFolder, passwordsInSources, scanRunLogs } from './helpers/secret-scan.ts';

/** Names under os.tmpdir() that start with `prefix`. */
function tempEntries(prefix: string): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith(prefix));
}

/**
 * Tests that start the real CLI run the bundle, so build it once per test run. Every temporary
 * folder of this run is named `bm-test-<run id>-…` (test/helpers/cli.ts `tempDir`, inherited by the
 * test workers through BM_TEST_RUN); at the end any such folder still there fails the run.
 */
export default function setup(): () => void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, BM_BUILD_QUIET: '1' },
  });

  // A run id of its own, so that test runs at the same time on one machine do not see each other's folders.
  const run = `${process.pid}${randomBytes(2).toString('hex')}`;
  process.env.BM_TEST_RUN = run;
  const runPrefix = `${TEMP_PREFIX}${run}-`;
  const before = new Set(readdirSync(tmpdir()));

  return () => {
    scanLogsForSecrets(root, run);
    const left = tempEntries(runPrefix);
    // Folders of other prefixes cannot be told apart from another run's: only reported.
    const strays = readdirSync(tmpdir()).filter(
      (name) =>
        !before.has(name) &&
        !name.startsWith(runPrefix) &&
        (name.startsWith('bm-') || name.startsWith('better-manager-')),
    );
    if (strays.length > 0)
      console.warn(
        `Note: new folders in ${tmpdir()} that may come from this test run (or another one running now): ${strays.join(', ')}`,
      );
    if (left.length === 0) return;
    for (const name of left) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    const message =
      `The test run left ${left.length} temporary folder(s) in ${tmpdir()} (now removed): ${left.join(', ')}. ` +
      'Make temporary folders with tempDir() from test/helpers/cli.ts, and stop child processes and servers before the test file ends.';
    throw new Error(message);
  };
}

/** Every .ts file under a folder. */
function sourcesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => readFileSync(join(folder, name), 'utf8'));
}

/**
 * The run's servers logged at debug level into its log folder (test/helpers/secret-scan.ts): not
 * one line may hold a token, key or password the tests used. The folder goes either way.
 */
function scanLogsForSecrets(root: string, run: string): void {
  const passwords = passwordsInSources(sourcesUnder(join(root, 'test')));
  const { files, bytes, findings } = scanRunLogs(run, passwords);
  rmSync(logFolder(run), { recursive: true, force: true });
  console.log(
    `Secret scan: ${files} log file(s), ${(bytes / 1048576).toFixed(1)} MB, ${passwords.length} test passwords and 5 token shapes: ${findings.length} finding(s)`,
  );
  if (findings.length === 0) return;
  const lines = findings
    .slice(0, 20)
    .map((finding) => `  ${finding.file}: ${finding.kind} ${finding.excerpt}`);
  throw new Error(`Secrets found in the test run's logs:\n${lines.join('\n')}`);
}
