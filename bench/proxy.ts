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
const SEQUENTIAL = 400;
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

async function latency(target: Target, stream: boolean) {
  for (let i = 0; i < 30; i++) await timed(target, stream);
  const ttfb: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const sample = await timed(target, stream);
    ttfb.push(sample.ttfb);
    total.push(sample.total);
  }
  return {
    ttfb50: percentile(ttfb, 50),
    ttfb99: percentile(ttfb, 99),
    total50: percentile(total, 50),
    total99: percentile(total, 99),
  };
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

const openStreams: Array<{ destroy: () => void }> = [];

async function heapOf(url: string): Promise<string> {
  const { memory } = (await (await fetch(`${url}/api/proxy/status`)).json()) as {
    memory: { heapUsed: number; heapTotal: number };
  };
  return `${memory.heapUsed} / ${memory.heapTotal}`;
}

async function holdOpenStreams(url: string): Promise<void> {
  const agent = new HttpAgent({ keepAlive: false, maxSockets: Infinity });
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
          openStreams.push(req);
        }),
    ),
  );
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

  const rows: string[][] = [];
  for (const stream of [false, true]) {
    const d = await latency(direct, true);
    const p = await latency(proxied, stream);
    const label = stream ? 'stream' : 'non-stream';
    rows.push([
      `${label} TTFB p50 / p99 (ms)`,
      `${d.ttfb50.toFixed(2)} / ${d.ttfb99.toFixed(2)}`,
      `${p.ttfb50.toFixed(2)} / ${p.ttfb99.toFixed(2)}`,
      `+${(p.ttfb50 - d.ttfb50).toFixed(2)} / +${(p.ttfb99 - d.ttfb99).toFixed(2)}`,
    ]);
    rows.push([
      `${label} total p50 / p99 (ms)`,
      `${d.total50.toFixed(2)} / ${d.total99.toFixed(2)}`,
      `${p.total50.toFixed(2)} / ${p.total99.toFixed(2)}`,
      `+${(p.total50 - d.total50).toFixed(2)} / +${(p.total99 - d.total99).toFixed(2)}`,
    ]);
  }
  const directRps = await throughput(direct);
  const proxyRps = await throughput(proxied);
  rows.push([
    `requests/s at ${CONCURRENCY} clients (non-stream)`,
    directRps.toFixed(0),
    proxyRps.toFixed(0),
    `${((proxyRps / directRps) * 100).toFixed(0)} % of direct`,
  ]);
  rows.push(['proxy RSS after load (MB)', '', rssMb(proxy.child.pid!).toFixed(1), '']);

  rows.push(['proxy heap after load: used / total (MB)', '', await heapOf(proxy.url), '']);
  proxy.child.kill('SIGTERM');
  await new Promise((resolve) => proxy.child.once('exit', resolve));

  // 1,000 streams held open (each stalls after its first event), on a fresh process.
  proxy = await startProxy(dataDir, port + 2);
  for (let i = 0; i < OPEN_STREAMS; i++)
    sim.script(alice.email, MODEL, { kind: 'stall', afterChunks: 1, ms: 20_000, text: 'a b c' });
  rows.push(['proxy RSS idle, fresh process (MB)', '', rssMb(proxy.child.pid!).toFixed(1), '']);
  await holdOpenStreams(proxy.url);
  await sleep(500);
  rows.push([
    `proxy RSS with ${OPEN_STREAMS} open streams (MB)`,
    '',
    rssMb(proxy.child.pid!).toFixed(1),
    `heap ${await heapOf(proxy.url)}`,
  ]);
  for (const req of openStreams) req.destroy();
  proxy.child.kill('SIGTERM');
  await new Promise((resolve) => proxy.child.once('exit', resolve));

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
  await sim.close();

  console.log('| measure | direct to simulator | through the proxy | difference |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

await main();
