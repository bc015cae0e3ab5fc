// Processes the benchmarks start and measure: a real `better-manager serve`, and the bare proxy
// (bench/bare-proxy.mjs) that is the floor. Both get the same Node flags as `npm start`.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { upstreamSettingsFor, type Simulator } from '../../src/simulator/index.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export const START_FLAGS = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(' ')
  .filter((word) => word.startsWith('--'));

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
export const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitForHealth(url: string, started: number): Promise<number> {
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return performance.now() - started;
    } catch {
      await sleep(5);
    }
  }
}

export function simulatorConfig(sim: Simulator): object {
  return {
    upstream: upstreamSettingsFor(sim),
    refresh: { quotaIntervalMinutes: 0 },
  };
}

export async function startProxy(
  dataDir: string,
  port: number,
  extraFlags: string[] = [],
  /** The entry point: the bundle as `npm start` runs it, or e.g. `src/cli.ts` for a readable profile. */
  entry = 'bin/better-manager.js',
): Promise<{ child: ChildProcess; startMs: number; url: string }> {
  const started = performance.now();
  // The same Node flags as `npm start` (package.json), plus any the caller adds (e.g. --cpu-prof).
  const child = spawn(
    process.execPath,
    [
      ...START_FLAGS,
      ...extraFlags,
      entry,
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
    ],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const startMs = await waitForHealth(url, started);
  return { child, startMs, url };
}

export async function heapOf(url: string): Promise<string> {
  const { memory } = (await (await fetch(`${url}/api/proxy/status`)).json()) as {
    memory: { heapUsed: number; heapTotal: number };
  };
  return `${memory.heapUsed} / ${memory.heapTotal}`;
}

/** The floor (bench/bare-proxy.mjs), with the same Node flags as `npm start`. */
export async function startBareProxy(
  sim: Simulator,
  token: string,
  project: string | undefined,
  port: number,
  model = 'gemini-3-flash',
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...START_FLAGS, 'bench/bare-proxy.mjs'], {
    cwd: root,
    stdio: 'ignore',
    env: {
      ...process.env,
      UPSTREAM: upstreamSettingsFor(sim).baseUrls[0],
      TOKEN: token,
      PROJECT: project ?? '',
      PORT: String(port),
      MODEL: model,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, performance.now());
  return { child, url };
}

export async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}
