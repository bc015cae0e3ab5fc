// Benchmarks (not run by CI): `npm run bench`. Builds the bundle first, then measures the start-up of
// the real CLI: time from process start to the first /health answer, and resident memory when idle.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { START_FLAGS } from './lib/processes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// Issue #20: "cold start to the first /health 200 in under 400 ms (median of 5, same data folder)".
const dataDir = mkdtempSync(join(tmpdir(), 'bm-bench-'));

/**
 * Starts a process and times it to its first /health 200. `floor` starts bench/bare-proxy.mjs
 * instead (node:http + undici, nothing else): the least a Node.js proxy takes to start here.
 */
async function startOnce(floor = false): Promise<{ startMs: number; rssMb: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = floor
    ? spawn(process.execPath, [...START_FLAGS, 'bench/bare-proxy.mjs'], {
        cwd: root,
        env: { ...process.env, UPSTREAM: 'http://127.0.0.1:9', TOKEN: 'x', PROJECT: 'x', PORT: String(port) },
        stdio: 'ignore',
      })
    : spawn(
        process.execPath,
        [...START_FLAGS, 'bin/better-manager.js', '--port', String(port), '--log-level', 'warn'],
        {
          cwd: root,
          env: { ...process.env, BETTER_MANAGER_DATA_DIR: dataDir },
          stdio: 'ignore',
        },
      );
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (performance.now() - started > 10_000) throw new Error('no answer within 10 s');
  }
  const startMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 300));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { startMs, rssMb: rssKb / 1024 };
}

const runs = [];
const floorRuns = [];
// Interleaved, so both see the same machine.
for (let i = 0; i < 5; i++) {
  runs.push(await startOnce());
  floorRuns.push(await startOnce(true));
}
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const starts = sorted(runs.map((run) => run.startMs));
const rss = sorted(runs.map((run) => run.rssMb));
const median = (values: number[]) => values[Math.floor(values.length / 2)]!;
console.log('| measure | median | min | max |');
console.log('|---|---|---|---|');
console.log(
  `| process start → /health (ms) | ${median(starts).toFixed(0)} | ${starts[0]!.toFixed(0)} | ${starts.at(-1)!.toFixed(0)} |`,
);
console.log(
  `| idle RSS after start (MB) | ${median(rss).toFixed(1)} | ${rss[0]!.toFixed(1)} | ${rss.at(-1)!.toFixed(1)} |`,
);
const floorStarts = sorted(floorRuns.map((run) => run.startMs));
console.log(
  `| floor: bare node:http + undici proxy start → /health (ms) | ${median(floorStarts).toFixed(0)} | ${floorStarts[0]!.toFixed(0)} | ${floorStarts.at(-1)!.toFixed(0)} |`,
);
console.log(
  `${median(starts) < 400 ? 'PASS' : 'FAIL'} cold start: median ${median(starts).toFixed(0)} ms of 5 starts on one data folder (target < 400 ms)`,
);
