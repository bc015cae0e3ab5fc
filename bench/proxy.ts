// Proxy benchmark (not run by CI): `node bench/proxy.ts` (also run by `npm run bench`).
// Against the simulator with zero upstream delay, side by side in one run: direct to the simulator,
// through Better Manager (a real `better-manager serve` process), and through a bare node:http
// proxy (bench/bare-proxy.mjs, the floor of any Node.js proxy). Prints a table.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startSimulator, type Simulator } from '../src/simulator/index.ts';
import { measureBigPool } from './lib/big-pool.ts';
import {
  heapOf,
  percentile,
  rssMb,
  simulatorConfig,
  sleep,
  startBareProxy,
  startProxy,
  stop,
} from './lib/processes.ts';

const MODEL = 'gemini-3-flash';
const WARMUP = 500;
const SEQUENTIAL = 2000;
const THROUGHPUT_SECONDS = 5;
const CONCURRENCY = 64;
const OPEN_STREAMS = 1000;
interface Target {
  name: string;
  pool: Pool;
  path: (stream: boolean) => string;
  headers: Record<string, string>;
  body: string;
}

/** One request: time to the first body byte and to the end. */
async function timed(target: Target, stream: boolean): Promise<{ ttfb: number; total: number }> {
  const started = performance.now();
  const response = await target.pool.request({
    method: 'POST',
    path: target.path(stream),
    headers: target.headers,
    body: target.body,
  });
  let ttfb = 0;
  for await (const chunk of response.body) {
    if (ttfb === 0 && chunk.length > 0) ttfb = performance.now() - started;
  }
  if (response.statusCode !== 200) throw new Error(`${target.name}: status ${response.statusCode}`);
  return { ttfb, total: performance.now() - started };
}

/**
 * Sequential latency of several targets, sampled in turn (the order rotating each round) so that
 * the machine's background noise falls on all of them alike, after a warm-up that lets the JIT
 * settle: a proxy runs for hours, and its first few hundred requests are not what users see.
 */
async function latencies(targets: Array<{ target: Target; stream: boolean }>) {
  const samples = targets.map(() => ({ ttfb: [] as number[], total: [] as number[] }));
  for (let round = 0; round < WARMUP + SEQUENTIAL; round++) {
    for (let k = 0; k < targets.length; k++) {
      const index = (round + k) % targets.length;
      const { target, stream } = targets[index]!;
      const sample = await timed(target, stream);
      if (round < WARMUP) continue;
      samples[index]!.ttfb.push(sample.ttfb);
      samples[index]!.total.push(sample.total);
    }
  }
  return samples.map(({ ttfb, total }) => ({
    ttfb50: percentile(ttfb, 50),
    ttfb99: percentile(ttfb, 99),
    total50: percentile(total, 50),
    total99: percentile(total, 99),
  }));
}

async function throughput(target: Target): Promise<number> {
  let done = 0;
  const deadline = performance.now() + THROUGHPUT_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await timed(target, false);
        done++;
      }
    }),
  );
  return done / THROUGHPUT_SECONDS;
}

/** Opens OPEN_STREAMS streaming requests that each stall after their first event; returns them to close later. */
async function holdOpenStreams(url: string): Promise<Array<{ destroy: () => void }>> {
  const agent = new HttpAgent({ keepAlive: false, maxSockets: Infinity });
  const open: Array<{ destroy: () => void }> = [];
  await Promise.all(
    Array.from(
      { length: OPEN_STREAMS },
      (_, i) =>
        new Promise<void>((resolve, reject) => {
          const req = httpRequest(
            `${url}/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`,
            { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
            (res) => res.once('data', () => resolve()),
          );
          req.on('error', reject);
          req.end(JSON.stringify({ contents: [{ role: 'user', parts: [{ text: `stream ${i}` }] }] }));
          open.push(req);
        }),
    ),
  );
  return open;
}

/** RSS of a fresh process after one proxied request, then with OPEN_STREAMS streams held open through it. */
async function streamMemory(sim: Simulator, email: string, pid: number, url: string) {
  const first = await fetch(`${url}/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'one request' }] }] }),
  });
  await first.text();
  for (let i = 0; i < OPEN_STREAMS; i++)
    sim.script(email, MODEL, { kind: 'stall', afterChunks: 1, ms: 20_000, text: 'a b c' });
  await sleep(1000);
  const idle = rssMb(pid);
  const open = await holdOpenStreams(url);
  await sleep(500);
  const loaded = rssMb(pid);
  for (const req of open) req.destroy();
  return { idle, loaded };
}

/** Issue #20's memory targets: this process's figure at most `allowedMb` above the floor's, same run. */
function check(what: string, ours: number, floor: number, allowedMb: number): string {
  const added = ours - floor;
  return `${added <= allowedMb ? 'PASS' : 'FAIL'} ${what}: ${ours.toFixed(1)} MB vs floor ${floor.toFixed(1)} MB = +${added.toFixed(1)} MB (target <= +${allowedMb} MB)`;
}
const memoryChecks: string[] = [];

async function main() {
  const sim = await startSimulator({ unmeteredQuota: true });
  const alice = sim.account('alice.pro@gmail.com');
  const dataDir = mkdtempSync(join(tmpdir(), 'bm-bench-'));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(simulatorConfig(sim)));
  const port = 18000 + Math.floor(Math.random() * 1000);
  let proxy = await startProxy(dataDir, port);
  await fetch(`${proxy.url}/api/accounts/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshTokens: [alice.refreshToken] }),
  });

  const token = (
    (await (
      await fetch(sim.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: alice.refreshToken,
          client_id: sim.clientId,
          client_secret: sim.clientSecret,
        }),
      })
    ).json()) as { access_token: string }
  ).access_token;
  const contents = [{ role: 'user', parts: [{ text: 'benchmark' }] }];
  const direct: Target = {
    name: 'direct',
    pool: new Pool(sim.url, { connections: CONCURRENCY }),
    path: () => '/prod/v1internal:streamGenerateContent?alt=sse',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'user-agent': 'antigravity/2.9.1 linux/amd64',
    },
    body: JSON.stringify({
      project: alice.project,
      model: MODEL,
      userAgent: 'antigravity',
      requestType: 'agent',
      requestId: `agent-${randomUUID()}`,
      request: { contents },
    }),
  };
  const proxied: Target = {
    name: 'proxy',
    pool: new Pool(proxy.url, { connections: CONCURRENCY }),
    path: (stream) =>
      `/v1beta/models/${MODEL}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contents }),
  };

  const bare = await startBareProxy(sim, token, alice.project, port + 3);
  const bareTarget: Target = {
    ...proxied,
    name: 'bare',
    pool: new Pool(bare.url, { connections: CONCURRENCY }),
  };

  const rows: string[][] = [];
  const added = (value: number, base: number) => `+${(value - base).toFixed(2)}`;
  for (const stream of [false, true]) {
    const [d, p, b] = await latencies([
      { target: direct, stream: true },
      { target: proxied, stream },
      { target: bareTarget, stream: true },
    ]);
    const label = stream ? 'stream' : 'non-stream';
    for (const [what, p50, p99] of [
      ['TTFB', 'ttfb50', 'ttfb99'],
      ['total', 'total50', 'total99'],
    ] as const) {
      rows.push([
        `${label} ${what} p50 / p99 (ms)`,
        `${d![p50].toFixed(2)} / ${d![p99].toFixed(2)}`,
        `${p![p50].toFixed(2)} / ${p![p99].toFixed(2)}`,
        `${added(p![p50], d![p50])} / ${added(p![p99], d![p99])}`,
        `${added(b![p50], d![p50])} / ${added(b![p99], d![p99])}`,
      ]);
    }
  }
  const directRps = await throughput(direct);
  const proxyRps = await throughput(proxied);
  const bareRps = await throughput(bareTarget);
  rows.push([
    `requests/s at ${CONCURRENCY} clients (non-stream)`,
    directRps.toFixed(0),
    proxyRps.toFixed(0),
    `${((proxyRps / directRps) * 100).toFixed(0)} % of direct`,
    `${bareRps.toFixed(0)} (${((bareRps / directRps) * 100).toFixed(0)} %)`,
  ]);
  rows.push([
    'RSS after load (MB)',
    '',
    rssMb(proxy.child.pid!).toFixed(1),
    '',
    rssMb(bare.child.pid!).toFixed(1),
  ]);
  rows.push(['heap after load: used / total (MB)', '', await heapOf(proxy.url), '', '']);
  await stop(proxy.child);
  await stop(bare.child);

  // 1,000 streams held open (each stalls after its first event), on fresh processes.
  proxy = await startProxy(dataDir, port + 2);
  const ours = await streamMemory(sim, alice.email, proxy.child.pid!, proxy.url);
  const heapWithStreams = await heapOf(proxy.url);
  await stop(proxy.child);
  const freshBare = await startBareProxy(sim, token, alice.project, port + 4);
  const floor = await streamMemory(sim, alice.email, freshBare.child.pid!, freshBare.url);
  await stop(freshBare.child);
  rows.push(['RSS idle after one proxied request (MB)', '', ours.idle.toFixed(1), '', floor.idle.toFixed(1)]);
  memoryChecks.push(
    check('idle RSS after one proxied request', ours.idle, floor.idle, 15),
    check(`RSS with ${OPEN_STREAMS} open streams`, ours.loaded, floor.loaded, 35),
  );
  rows.push([
    `RSS with ${OPEN_STREAMS} open streams (MB)`,
    '',
    ours.loaded.toFixed(1),
    `heap ${heapWithStreams}`,
    floor.loaded.toFixed(1),
  ]);
  rows.push([
    `RSS added per open stream (KB)`,
    '',
    (((ours.loaded - ours.idle) * 1024) / OPEN_STREAMS).toFixed(1),
    '',
    (((floor.loaded - floor.idle) * 1024) / OPEN_STREAMS).toFixed(1),
  ]);

  rows.push(...(await measureBigPool(sim, port + 1)));
  await direct.pool.close();
  await proxied.pool.close();
  await bareTarget.pool.close();
  await sim.close();

  console.log(
    '| measure | direct to simulator | through Better Manager | added by Better Manager | bare Node proxy (floor, bench/bare-proxy.mjs) |',
  );
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log('');
  for (const line of memoryChecks) console.log(line);
}

await main();
