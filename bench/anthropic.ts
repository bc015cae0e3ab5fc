// Anthropic Messages benchmark (not run by CI): `node bench/anthropic.ts` (also run by `npm run bench`).
// `POST /v1/messages`, stream and non-stream, at 1, 16 and 64 concurrent clients, against the
// simulator with zero upstream delay, side by side in one run:
// - Better Manager: a real `better-manager serve` process with one account imported from the simulator;
// - antigravity-claude-proxy (ACP), the npm package, installed at bench time into a folder under
//   the system temp folder (never into this repo), run from a copy whose Google hosts (constants
//   in its source) point at the simulator, with the simulator account in its accounts file. It runs
//   as its README starts it (`node src/index.js`, no Node flags); it has no switch for its per-request
//   info log (to /dev/null here) nor for the accounts file it rewrites as it picks an account;
// - the bare node:http proxy (bench/bare-proxy.mjs), the floor.
// Targets take turns phase by phase (the order rotating) over several rounds, after a warm-up;
// requests/s and CPU per request are the medians over the rounds, latencies pooled. Every reply is
// checked for the simulator's text, so an error never counts as a fast answer.
//
// Env: BENCH_CPU_PROF=<dir> runs Better Manager with --cpu-prof into <dir>;
// BENCH_ROUNDS / BENCH_PHASE_SECONDS shorten or lengthen the run.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startSimulator, type Simulator } from '../src/simulator/index.ts';
import {
  percentile,
  rssMb,
  simulatorConfig,
  sleep,
  startBareProxy,
  startProxy,
  stop,
} from './lib/processes.ts';

/** Claude Sonnet 4.6 without thinking: ACP's best case (its plain `generateContent` path, no SSE parsing). */
const MODEL = 'claude-sonnet-4-6';
const ACP_VERSION = '2.0.4';
const CLIENTS = [1, 16, 64];
// Many short rounds rather than a few long ones: the machine is shared, and a median over more
// rounds shrugs off a neighbour's burst. ~2.5 minutes in all.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PHASE_SECONDS = Number(process.env.BENCH_PHASE_SECONDS ?? 1.5);
const WARMUP_SECONDS = 3;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface Target {
  name: string;
  child: ChildProcess;
  pool: Pool;
  path: string;
  headers: Record<string, string>;
  body: (stream: boolean, prompt: string, worker: number) => string;
  /** The reply's text, from the raw body; throws on an error event. */
  text: (stream: boolean, body: string) => string;
}

interface PhaseResult {
  rps: number;
  cpuMsPerRequest: number;
  /** This process (the clients and the simulator), for context: on 2 cores it shares the machine. */
  benchCpuMsPerRequest: number;
  latencies: number[];
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** utime + stime of a process (all its threads), in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

const expected = (prompt: string) => `Simulated reply from ${MODEL}: you said "${prompt}".`;

/** The `data:` payloads of an SSE body; an `event: error` fails the request. */
function sseData(body: string): unknown[] {
  const out: unknown[] = [];
  // The upstream ends its lines with CRLF (wire.md §2.8), Anthropic with LF.
  for (const event of body.split(/\r?\n\r?\n/)) {
    if (/^event: error\r?$/m.test(event)) throw new Error(`error event: ${event}`);
    const data = /^data: (.*?)\r?$/m.exec(event)?.[1];
    if (data) out.push(JSON.parse(data));
  }
  return out;
}

/** Text of an Anthropic Messages reply (wire.md §4.3, §4.4). */
function anthropicText(stream: boolean, body: string): string {
  if (!stream) {
    const message = JSON.parse(body) as { content: Array<{ type: string; text?: string }> };
    return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  }
  const events = sseData(body) as Array<{ type: string; delta?: { type: string; text?: string } }>;
  if (events.at(-1)?.type !== 'message_stop') throw new Error('stream without message_stop');
  return events.map((e) => (e.delta?.type === 'text_delta' ? e.delta.text : '')).join('');
}

/** Text of a v1internal `streamGenerateContent` SSE body (wire.md §2.8), what the floor relays. */
function upstreamText(_stream: boolean, body: string): string {
  type Chunk = {
    response?: { candidates?: Array<{ content?: { parts?: Array<{ text?: string; thought?: boolean }> } }> };
  };
  return (sseData(body) as Chunk[])
    .flatMap((chunk) => chunk.response?.candidates?.[0]?.content?.parts ?? [])
    .map((part) => (part.thought ? '' : (part.text ?? '')))
    .join('');
}

/**
 * Each client is one conversation, as Claude Code tells it (wire.md §4.8: `metadata.user_id` with a
 * `session_id`), asking a new question each time; every proxy gets the same bytes.
 */
const sessions = Array.from({ length: Math.max(...CLIENTS) }, () =>
  JSON.stringify({ device_id: randomBytes(32).toString('hex'), account_uuid: '', session_id: randomUUID() }),
);
const messagesBody = (stream: boolean, prompt: string, worker: number) =>
  JSON.stringify({
    model: MODEL,
    max_tokens: 1024,
    stream,
    metadata: { user_id: sessions[worker] },
    messages: [{ role: 'user', content: prompt }],
  });

/** `clients` workers sending requests back to back for `seconds`; every reply checked. */
async function phase(
  target: Target,
  stream: boolean,
  clients: number,
  seconds: number,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  const cpuBefore = cpuMs(target.child.pid!);
  const benchBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const prompt = `bench ${worker} ${n}`;
        const sent = performance.now();
        const response = await target.pool.request({
          method: 'POST',
          path: target.path,
          headers: target.headers,
          body: target.body(stream, prompt, worker),
        });
        const body = await response.body.text();
        if (response.statusCode !== 200)
          throw new Error(`${target.name}: status ${response.statusCode}: ${body.slice(0, 300)}`);
        let text: string;
        try {
          text = target.text(stream, body);
        } catch (error) {
          throw new Error(`${target.name}: ${(error as Error).message}: ${body.slice(0, 300)}`, {
            cause: error,
          });
        }
        if (text !== expected(prompt))
          throw new Error(
            `${target.name}: expected ${JSON.stringify(expected(prompt))}, got ${JSON.stringify(text)}`,
          );
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuMs(target.child.pid!) - cpuBefore;
  const bench = process.cpuUsage(benchBefore);
  return {
    rps: latencies.length / elapsed,
    cpuMsPerRequest: cpu / latencies.length,
    benchCpuMsPerRequest: (bench.user + bench.system) / 1000 / latencies.length,
    latencies,
  };
}

/** Installs the pinned ACP once into the system temp folder (kept for later runs); returns that folder. */
function installAcp(): string {
  const dir = join(tmpdir(), `bm-bench-acp-${ACP_VERSION}`);
  const manifest = join(dir, 'node_modules', 'antigravity-claude-proxy', 'package.json');
  const installed =
    existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  if (installed !== ACP_VERSION || !existsSync(join(dir, 'node_modules', 'express'))) {
    console.error(`installing antigravity-claude-proxy@${ACP_VERSION} into ${dir} …`);
    mkdirSync(dir, { recursive: true });
    // --ignore-scripts: its one native dependency (better-sqlite3) only reads the Antigravity
    // app's own database, which an accounts-file setup never opens; building it would take minutes.
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        dir,
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        `antigravity-claude-proxy@${ACP_VERSION}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  return dir;
}

/** All `.js` files under a folder. */
function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * A copy of ACP whose Google hosts are the simulator's. They are constants in its `src/constants.js`
 * (Cloud Code daily and prod, OAuth authorize, token and userinfo URLs); every one must be found,
 * and no Google host may be left anywhere in its source, or the run fails.
 */
function patchedAcp(installDir: string, sim: Simulator): string {
  // Inside the install folder, so that its dependencies resolve from `<installDir>/node_modules`.
  const copy = mkdtempSync(join(installDir, 'sim-'));
  cpSync(join(installDir, 'node_modules', 'antigravity-claude-proxy'), copy, { recursive: true });
  const constants = join(copy, 'src', 'constants.js');
  let source = readFileSync(constants, 'utf8');
  const replacements: Array<[string | RegExp, string]> = [
    ["'https://daily-cloudcode-pa.googleapis.com'", JSON.stringify(sim.baseUrls[1])],
    ["'https://cloudcode-pa.googleapis.com'", JSON.stringify(sim.baseUrls[2])],
    ["'https://accounts.google.com/o/oauth2/v2/auth'", JSON.stringify(sim.authUrl)],
    ["'https://oauth2.googleapis.com/token'", JSON.stringify(sim.tokenUrl)],
    ["'https://www.googleapis.com/oauth2/v1/userinfo'", JSON.stringify(sim.userinfoUrl)],
    [/clientId: '[^']*'/, `clientId: ${JSON.stringify(sim.clientId)}`],
    [/clientSecret: '[^']*'/, `clientSecret: ${JSON.stringify(sim.clientSecret)}`],
  ];
  for (const [from, to] of replacements) {
    const next = source.replace(from, to);
    if (next === source) throw new Error(`ACP ${ACP_VERSION}: ${String(from)} not found in src/constants.js`);
    source = next;
  }
  writeFileSync(constants, source);
  for (const file of jsFiles(join(copy, 'src'))) {
    const left = (readFileSync(file, 'utf8').match(/https:\/\/[a-z0-9.-]*google(apis)?\.com[^'"`\s]*/g) ?? [])
      // OAuth scopes are names, not hosts that get called.
      .filter((url) => !url.startsWith('https://www.googleapis.com/auth/'));
    if (left.length > 0) throw new Error(`ACP ${ACP_VERSION}: ${file} still calls ${left.join(', ')}`);
  }
  return copy;
}

/** ACP from its copy, as its README runs it (`node src/index.js`, PORT), its home a fresh folder. */
async function startAcp(copy: string, sim: Simulator, email: string, port: number) {
  const home = mkdtempSync(join(tmpdir(), 'bm-bench-acp-home-'));
  const account = sim.account(email);
  const configDir = join(home, '.config', 'antigravity-proxy');
  mkdirSync(configDir, { recursive: true });
  // Its accounts file (src/account-manager/storage.js): an OAuth account with its refresh token.
  writeFileSync(
    join(configDir, 'accounts.json'),
    JSON.stringify({
      accounts: [
        {
          email: account.email,
          source: 'oauth',
          refreshToken: account.refreshToken,
          projectId: account.project,
          enabled: true,
        },
      ],
      settings: {},
      activeIndex: 0,
    }),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, PORT: String(port) };
  delete env.API_KEY;
  delete env.DEBUG;
  const child = spawn(process.execPath, ['src/index.js'], { cwd: copy, env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  // Its /health asks the upstream for quotas: any answer (a 404 here) means it listens.
  for (let waited = 0; ; waited += 20) {
    try {
      await fetch(`${url}/bench-ready`);
      break;
    } catch {
      if (waited > 15_000 || child.exitCode !== null)
        throw new Error('antigravity-claude-proxy did not start');
      await sleep(20);
    }
  }
  return { child, url, home };
}

function rotate<T>(items: T[], by: number): T[] {
  return items.map((_, i) => items[(i + by) % items.length]!);
}

async function main() {
  const acpDir = installAcp();
  const sim = await startSimulator({ unmeteredQuota: true });
  const alice = sim.account('alice.pro@gmail.com');
  const children: ChildProcess[] = [];
  const cleanups: Array<() => void> = [];
  const pools: Pool[] = [];
  try {
    // Better Manager.
    const dataDir = mkdtempSync(join(tmpdir(), 'bm-bench-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify(simulatorConfig(sim)));
    const profDir = process.env.BENCH_CPU_PROF;
    const proxy = await startProxy(
      dataDir,
      await freePort(),
      profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
    );
    children.push(proxy.child);
    const imported = await fetch(`${proxy.url}/api/accounts/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshTokens: [alice.refreshToken] }),
    });
    if (!imported.ok) throw new Error(`import: ${imported.status} ${await imported.text()}`);

    // antigravity-claude-proxy.
    const copy = patchedAcp(acpDir, sim);
    cleanups.push(() => rmSync(copy, { recursive: true, force: true }));
    const acp = await startAcp(copy, sim, alice.email, await freePort());
    children.push(acp.child);
    cleanups.push(() => rmSync(acp.home, { recursive: true, force: true }));

    // The floor. It cannot translate, so it gets what a translator would send on: the Gemini
    // `request` of the same prompt, which it wraps in the v1internal envelope for MODEL, sends to
    // `streamGenerateContent` and pipes back untouched. That is the least a Node proxy can do to
    // relay the same exchange (a request out, the upstream's SSE bytes back), which is also what
    // Better Manager does upstream for both of its modes (it always calls streamGenerateContent);
    // so the floor's stream and non-stream phases are the same work, both measured to take turns.
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
    const bare = await startBareProxy(sim, token, alice.project, await freePort(), MODEL);
    children.push(bare.child);

    const anthropicHeaders = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
    const pool = (url: string) => {
      const created = new Pool(url, { connections: Math.max(...CLIENTS) });
      pools.push(created);
      return created;
    };
    const targets: Target[] = [
      {
        name: 'Better Manager',
        child: proxy.child,
        pool: pool(proxy.url),
        path: '/v1/messages',
        headers: anthropicHeaders,
        body: messagesBody,
        text: anthropicText,
      },
      {
        name: `antigravity-claude-proxy ${ACP_VERSION}`,
        child: acp.child,
        pool: pool(acp.url),
        path: '/v1/messages',
        headers: anthropicHeaders,
        body: messagesBody,
        text: anthropicText,
      },
      {
        name: 'bare Node proxy (floor)',
        child: bare.child,
        pool: pool(bare.url),
        path: `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`,
        headers: { 'content-type': 'application/json' },
        body: (_stream, prompt) =>
          JSON.stringify({ contents: [{ role: 'user', parts: [{ text: prompt }] }] }),
        text: upstreamText,
      },
    ];

    // Warm-up: the JIT settles, connections open, tokens and projects get cached.
    for (const target of targets)
      for (const stream of [false, true]) await phase(target, stream, 16, WARMUP_SECONDS / 2);
    sim.requests.splice(0);

    const phases = [false, true].flatMap((stream) => CLIENTS.map((clients) => ({ stream, clients })));
    const results = new Map<string, PhaseResult[]>();
    const key = (target: number, stream: boolean, clients: number) => `${target} ${stream} ${clients}`;
    let turn = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const { stream, clients } of phases) {
        for (const index of rotate([0, 1, 2], turn++ % 3)) {
          const result = await phase(targets[index]!, stream, clients, PHASE_SECONDS);
          const list = results.get(key(index, stream, clients)) ?? [];
          list.push(result);
          results.set(key(index, stream, clients), list);
          // The simulator keeps every request it saw; the benchmark needs none of them.
          sim.requests.splice(0);
        }
      }
    }
    const rss = targets.map((target) => rssMb(target.child.pid!));

    const median = (values: number[]) => percentile(values, 50);
    const summary = (index: number, stream: boolean, clients: number) => {
      const runs = results.get(key(index, stream, clients))!;
      const latencies = runs.flatMap((run) => run.latencies);
      const rps = runs.map((run) => run.rps);
      return {
        rps: median(rps),
        rpsRange: `${Math.min(...rps).toFixed(0)}–${Math.max(...rps).toFixed(0)}`,
        cpu: median(runs.map((run) => run.cpuMsPerRequest)),
        benchCpu: median(runs.map((run) => run.benchCpuMsPerRequest)),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
      };
    };
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    /**
     * Median over the rounds of a / b within each round: the two ran back to back, so a burst
     * of background load that hits one round hits both.
     */
    const paired = (
      stream: boolean,
      clients: number,
      a: number,
      b: number,
      field: 'rps' | 'cpuMsPerRequest',
    ) => {
      const as = results.get(key(a, stream, clients))!;
      const bs = results.get(key(b, stream, clients))!;
      return median(as.map((run, round) => run[field] / bs[round]![field]));
    };
    const times = (value: number) => `${value.toFixed(2)}×`;
    const rows: string[][] = [];
    const cpuRatios: Array<{ value: number; where: string }> = [];
    const rpsRatios: Array<{ value: number; where: string }> = [];
    for (const { stream, clients } of phases) {
      const [ours, theirs, floor] = [0, 1, 2].map((index) => summary(index, stream, clients)) as [
        ReturnType<typeof summary>,
        ReturnType<typeof summary>,
        ReturnType<typeof summary>,
      ];
      const mode = stream ? 'stream' : 'non-stream';
      rows.push([
        mode,
        String(clients),
        'requests/s (range over rounds)',
        `${ours.rps.toFixed(0)} (${ours.rpsRange})`,
        `${theirs.rps.toFixed(0)} (${theirs.rpsRange})`,
        `${floor.rps.toFixed(0)} (${floor.rpsRange})`,
        times(paired(stream, clients, 0, 1, 'rps')),
        times(paired(stream, clients, 0, 2, 'rps')),
      ]);
      rows.push([
        mode,
        String(clients),
        'latency p50 / p99 (ms)',
        `${ours.p50.toFixed(2)} / ${ours.p99.toFixed(2)}`,
        `${theirs.p50.toFixed(2)} / ${theirs.p99.toFixed(2)}`,
        `${floor.p50.toFixed(2)} / ${floor.p99.toFixed(2)}`,
        `${ratio(ours.p50, theirs.p50)} / ${ratio(ours.p99, theirs.p99)}`,
        `${ratio(ours.p50, floor.p50)} / ${ratio(ours.p99, floor.p99)}`,
      ]);
      rows.push([
        mode,
        String(clients),
        'proxy CPU per request (ms)',
        ours.cpu.toFixed(3),
        theirs.cpu.toFixed(3),
        floor.cpu.toFixed(3),
        times(paired(stream, clients, 0, 1, 'cpuMsPerRequest')),
        times(paired(stream, clients, 0, 2, 'cpuMsPerRequest')),
      ]);
      rows.push([
        mode,
        String(clients),
        'bench process CPU per request (ms: clients + simulator)',
        ours.benchCpu.toFixed(3),
        theirs.benchCpu.toFixed(3),
        floor.benchCpu.toFixed(3),
        '',
        '',
      ]);
      cpuRatios.push({
        value: paired(stream, clients, 0, 2, 'cpuMsPerRequest'),
        where: `${mode}, ${clients} client${clients === 1 ? '' : 's'}`,
      });
      if (clients === 64) rpsRatios.push({ value: paired(stream, clients, 0, 1, 'rps'), where: mode });
    }
    rows.push([
      '',
      '',
      'RSS after load (MB)',
      ...rss.map((mb) => mb.toFixed(1)),
      ratio(rss[0]!, rss[1]!),
      ratio(rss[0]!, rss[2]!),
    ]);

    console.log(
      `Anthropic Messages \`POST /v1/messages\`, model ${MODEL}, simulator with no upstream delay; ` +
        `${ROUNDS} rounds of ${PHASE_SECONDS} s per phase, targets in turns; ` +
        `requests/s and CPU: median of the rounds (ratios: median of each round's ratio), latency: all requests.\n`,
    );
    console.log(
      `| mode | clients | measure | Better Manager | antigravity-claude-proxy ${ACP_VERSION} | bare Node proxy (floor, bench/bare-proxy.mjs) | BM ÷ ACP | BM ÷ floor |`,
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
    const worstCpu = cpuRatios.reduce((a, b) => (b.value > a.value ? b : a));
    const worstRps = rpsRatios.reduce((a, b) => (b.value < a.value ? b : a));
    const each = (list: Array<{ value: number; where: string }>) =>
      list.map((r) => `${r.where} ${r.value.toFixed(2)}×`).join(', ');
    console.log('');
    console.log(
      `- CPU per request ≤ 1.3× the floor's: worst ${worstCpu.value.toFixed(2)}× (${worstCpu.where}) — ` +
        `${worstCpu.value <= 1.3 ? 'met' : 'not met'} (${each(cpuRatios)})`,
    );
    console.log(
      `- throughput at 64 clients ≥ 1.5× antigravity-claude-proxy's: lowest ${worstRps.value.toFixed(2)}× (${worstRps.where}) — ` +
        `${worstRps.value >= 1.5 ? 'met' : 'not met'} (${each(rpsRatios)})`,
    );
  } finally {
    for (const child of children) if (child.exitCode === null) await stop(child);
    for (const created of pools) await created.close();
    await sim.close();
    for (const cleanup of cleanups) cleanup();
  }
}

await main();
