// Proxy benchmark (not run by CI): `node bench/proxy.ts` (also run by `npm run bench`).
// Against the simulator with zero upstream delay, side by side in one run: direct to the simulator
// vs. through the proxy (a real `better-manager serve` process). Prints a table.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { createAccountsRuntime } from '../src/accounts/runtime.ts';
import { createLogger } from '../src/logger.ts';
import { AccountPool } from '../src/pool/index.ts';
import { PoolSync } from '../src/proxy/pool-sync.ts';
import { openDataFolder } from '../src/server/data-folder.ts';
import { startSimulator, upstreamSettingsFor, type Simulator } from '../src/simulator/index.ts';
import { AccountsTable } from '../src/store/accounts-table.ts';
import { QuotaTable } from '../src/store/quota-table.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const MODEL = 'gemini-3-flash';
const WARMUP = 500;
const SEQUENTIAL = 2000;
const THROUGHPUT_SECONDS = 5;
const CONCURRENCY = 64;
const OPEN_STREAMS = 1000;
const BIG_POOL = 10_000;
const START_FLAGS = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(' ')
  .filter((word) => word.startsWith('--'));

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForHealth(url: string, started: number): Promise<number> {
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return performance.now() - started;
    } catch {
      await sleep(5);
    }
  }
}

function simulatorConfig(sim: Simulator): object {
  return {
    upstream: upstreamSettingsFor(sim),
    refresh: { quotaIntervalMinutes: 0 },
  };
}

async function startProxy(
  dataDir: string,
  port: number,
): Promise<{ child: ChildProcess; startMs: number; url: string }> {
  const started = performance.now();
  // The same Node flags as `npm start` (package.json).
  const child = spawn(
    process.execPath,
    [
      ...START_FLAGS,
      'bin/better-manager.js',
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

async function heapOf(url: string): Promise<string> {
  const { memory } = (await (await fetch(`${url}/api/proxy/status`)).json()) as {
    memory: { heapUsed: number; heapTotal: number };
  };
  return `${memory.heapUsed} / ${memory.heapTotal}`;
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

/** The floor (bench/bare-proxy.mjs), with the same Node flags as `npm start`. */
async function startBareProxy(
  sim: Simulator,
  token: string,
  project: string | undefined,
  port: number,
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
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, performance.now());
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

/** RSS of a fresh process, then with OPEN_STREAMS streams held open through it. */
async function streamMemory(sim: Simulator, email: string, pid: number, url: string) {
  for (let i = 0; i < OPEN_STREAMS; i++)
    sim.script(email, MODEL, { kind: 'stall', afterChunks: 1, ms: 20_000, text: 'a b c' });
  await sleep(300);
  const idle = rssMb(pid);
  const open = await holdOpenStreams(url);
  await sleep(500);
  const loaded = rssMb(pid);
  for (const req of open) req.destroy();
  return { idle, loaded };
}

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
  rows.push(['RSS idle, fresh process (MB)', '', ours.idle.toFixed(1), '', floor.idle.toFixed(1)]);
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

  // 10,000 accounts in the database: start time, RSS, and selection time over the same pool code.
  const bigDir = mkdtempSync(join(tmpdir(), 'bm-bench-big-'));
  writeFileSync(join(bigDir, 'config.json'), JSON.stringify(simulatorConfig(sim)));
  const folder = openDataFolder({
    dataDir: bigDir,
    flags: { kind: 'flag', label: 'bench', values: {} },
    env: {},
  });
  const runtime = createAccountsRuntime({
    store: folder.store,
    settings: folder.settings,
    dataDir: bigDir,
    logger: createLogger('silent'),
  });
  const accounts = new AccountsTable(folder.store);
  const quotas = new QuotaTable(folder.store);
  const sealed = 'v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:AAAA';
  const now = Date.now();
  folder.store.transaction(() => {
    for (let i = 0; i < BIG_POOL; i++) {
      const id = `acct-${i}`;
      accounts.insert({
        id,
        email: `user${i}@example.com`,
        displayName: null,
        refreshTokenEnc: sealed,
        accessTokenEnc: null,
        accessTokenExpiresAt: null,
        projectId: `project-${i}`,
        tier: 'pro',
        tierName: null,
        enabled: true,
        status: 'ok',
        statusReason: null,
        validationUrl: null,
        label: null,
        sortOrder: i,
        isCurrent: false,
        createdAt: now,
        updatedAt: now,
        lastUsedAt: null,
        quotaFetchedAt: now,
        quotaError: null,
      });
      quotas.replaceModels(
        id,
        [
          'gemini-3-flash',
          'gemini-pro-agent',
          'claude-sonnet-4-6',
          'claude-opus-4-6-thinking',
          'gpt-oss-120b-medium',
        ].map((modelId, k) => ({
          modelId,
          displayName: null,
          status: 'known' as const,
          remainingFraction: ((i * 7 + k) % 100) / 100,
          resetAt: null,
          fetchedAt: now,
          details: null,
        })),
      );
    }
  });
  const pool = new AccountPool({ settings: () => folder.settings.current });
  const syncStarted = performance.now();
  new PoolSync(pool, accounts, quotas, runtime.service).start();
  const syncMs = performance.now() - syncStarted;
  const select: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const started = performance.now();
    pool.select({ model: i % 2 ? MODEL : 'claude-sonnet-4-6', sessionKey: `session-${i % 500}` });
    select.push(performance.now() - started);
  }
  await runtime.close();
  folder.close();
  proxy = await startProxy(bigDir, port + 1);
  await sleep(300);
  rows.push([
    `start with ${BIG_POOL} accounts → /health (ms)`,
    '',
    proxy.startMs.toFixed(0),
    `pool load ${syncMs.toFixed(0)} ms in-process`,
  ]);
  rows.push([
    `RSS with ${BIG_POOL} accounts (MB)`,
    '',
    rssMb(proxy.child.pid!).toFixed(1),
    `heap ${await heapOf(proxy.url)}`,
  ]);
  rows.push([
    `select() p50 / p99 with ${BIG_POOL} accounts (ms)`,
    '',
    `${percentile(select, 50).toFixed(3)} / ${percentile(select, 99).toFixed(3)}`,
    'sticky, 500 sessions',
  ]);
  proxy.child.kill('SIGTERM');
  await new Promise((resolve) => proxy.child.once('exit', resolve));
  await direct.pool.close();
  await proxied.pool.close();
  await bareTarget.pool.close();
  await sim.close();

  console.log(
    '| measure | direct to simulator | through Better Manager | added by Better Manager | bare Node proxy (floor, bench/bare-proxy.mjs) |',
  );
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

await main();
