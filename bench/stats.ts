// Stats benchmark (not run by CI): `node bench/stats.ts`. Writes 100,000 request-log rows spread over
// 7 days through the app's own RequestLog (so the roll-ups are the ones the proxy keeps), then times
// GET /api/stats?window=7d, 24h and 1h and GET /api/usage?window=30d over HTTP against the real server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server/serve.ts';
import { syntheticLogRows } from './lib/stats-rows.ts';

const ROWS = 100_000;
const SAMPLES = 15;

const dataDir = mkdtempSync(join(tmpdir(), 'bm-bench-stats-'));
const server = await startServer({
  dataDir,
  env: {},
  flags: { kind: 'flag', label: 'bench', values: { server: { port: 0, logLevel: 'silent' } } },
});
try {
  const keys = [];
  for (const label of ['CI runner', 'laptop']) {
    const response = await fetch(`${server.url}/api/proxy/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label }),
    });
    keys.push((await response.json()) as { id: string; key: string });
  }
  const writeStarted = performance.now();
  for (const row of syntheticLogRows(ROWS, Date.now(), keys)) server.ctx.proxy.log.record(row);
  server.ctx.proxy.log.flush();
  const writeMs = performance.now() - writeStarted;

  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  console.log(`${ROWS.toLocaleString('en')} log rows over 7 days written in ${writeMs.toFixed(0)} ms`);
  console.log('| request | median ms | min ms | max ms | median CPU ms |');
  console.log('|---|---|---|---|---|');
  for (const path of [
    '/api/stats?window=7d',
    '/api/stats?window=24h',
    '/api/stats?window=1h',
    '/api/usage?window=30d&by=key&bucket=hour',
  ]) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const usage = process.cpuUsage();
      const started = performance.now();
      const response = await fetch(`${server.url}${path}`);
      await response.arrayBuffer();
      wall.push(performance.now() - started);
      const used = process.cpuUsage(usage);
      cpu.push((used.user + used.system) / 1000);
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    }
    const w = sorted(wall);
    const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)]!;
    console.log(
      `| GET ${path} | ${median(wall).toFixed(1)} | ${w[0]!.toFixed(1)} | ${w.at(-1)!.toFixed(1)} | ${median(cpu).toFixed(1)} |`,
    );
  }
} finally {
  await server.stop(1000);
  rmSync(dataDir, { recursive: true, force: true });
}
