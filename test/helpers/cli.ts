import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'better-manager.js');

export function tempDir(prefix = 'bm-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
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
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr, output: () => stdout + stderr };
}

/** Runs the CLI to completion and returns its exit code and output. */
export async function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; command?: string[] } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = spawnCli(args, options);
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
