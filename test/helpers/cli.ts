import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureText } from './secret-scan.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'better-manager.js');

/**
 * Every temporary folder a test makes starts with this, followed by the id of the test run (set by
 * test/global-setup.ts), so that the run can check at its end that it left none behind.
 */
export const TEMP_PREFIX = 'bm-test-';
export const TEST_RUN = process.env.BM_TEST_RUN ?? `solo${process.pid}`;

const madeFolders: string[] = [];
const runningChildren = new Set<{ child: ChildProcess; group: boolean }>();

/**
 * A new empty folder under os.tmpdir(), removed after the test file (test/helpers/cleanup.ts).
 * `name` only makes the folder easier to recognise: it is always under the test prefix.
 */
export function tempDir(name = ''): string {
  const label = name.replace(/^bm-(test-)?/, '');
  const dir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${TEST_RUN}-${label}`));
  madeFolders.push(dir);
  return dir;
}

/**
 * Registers a child process to be stopped after the test file, before its folders are removed.
 * `group`: the child was spawned detached and its whole process group is to be stopped.
 */
export function trackChild(child: ChildProcess, group = false): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const entry = { child, group };
  runningChildren.add(entry);
  child.once('exit', () => runningChildren.delete(entry));
}

function signalChild({ child, group }: { child: ChildProcess; group: boolean }, signal: NodeJS.Signals) {
  try {
    if (group && child.pid) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

/** Stops the children still running (SIGTERM, then SIGKILL after 10 s), then removes every temp folder. */
export async function cleanUpTestFile(): Promise<void> {
  await Promise.all(
    [...runningChildren].map(async (entry) => {
      const exited = new Promise((resolve) => entry.child.once('exit', resolve));
      if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
      signalChild(entry, 'SIGTERM');
      const timer = setTimeout(() => signalChild(entry, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
  for (const dir of madeFolders.splice(0)) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Environment for a child: no inherited Better Manager settings or proxies. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('BETTER_MANAGER_') || /^(https?|all|no)_proxy$/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_PROXY: '127.0.0.1,localhost', ...extra };
}

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function spawnCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; command?: string[]; cwd?: string } = {},
): RunningCli {
  const [command, ...prefix] = options.command ?? [process.execPath, BIN];
  const child = spawn(command!, [...prefix, ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? cleanEnv(),
  });
  trackChild(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A server's output is its log: kept for the run's secret scan (other commands print data on purpose).
  if (args[0] === 'serve' || args[0] === 'demo' || args.includes('--port'))
    child.once('close', () => captureText(TEST_RUN, 'cli', stdout + stderr));
  return { child, exited, stdout: () => stdout, stderr: () => stderr, output: () => stdout + stderr };
}

/**
 * Runs the CLI to completion and returns its exit code and output. With `input`, standard input
 * gets that text and then ends; without, it stays open.
 */
export async function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; command?: string[]; input?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = spawnCli(args, options);
  if (options.input !== undefined) cli.child.stdin.end(options.input);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  const code = await cli.exited;
  clearTimeout(timer);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** Polls `url` until it answers 200 or the deadline passes; returns the elapsed milliseconds. */
export async function waitForHealth(
  url: string,
  timeoutMs = 10_000,
  started = performance.now(),
): Promise<number> {
  const deadline = started + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) {
        await response.body?.cancel();
        return performance.now() - started;
      }
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

export async function stopCli(cli: RunningCli): Promise<void> {
  if (cli.child.exitCode !== null) return;
  cli.child.kill('SIGTERM');
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), 10_000);
  await cli.exited;
  clearTimeout(timer);
}
