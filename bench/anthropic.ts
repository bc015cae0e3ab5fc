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
// checked for the simulator's text, so an error never counts as a fast answer. The machinery is
// bench/lib/load.ts, shared with bench/openai.ts.
//
// Env: BENCH_CPU_PROF=<dir> runs Better Manager with --cpu-prof into <dir> (BENCH_FROM_SOURCE=1:
// from src/, for readable names); BENCH_ROUNDS / BENCH_PHASE_SECONDS shorten or lengthen the run.
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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startSimulator, type Simulator } from '../src/simulator/index.ts';
import {
  accessToken,
  check,
  cpuCheck,
  freePort,
  measure,
  simulatedReply,
  sseData,
  startBetterManager,
  table,
  upstreamText,
  type Target,
} from './lib/load.ts';
import { sleep, startBareProxy, stop } from './lib/processes.ts';

/** Claude Sonnet 4.6 without thinking: ACP's best case (its plain `generateContent` path, no SSE parsing). */
const MODEL = 'claude-sonnet-4-6';
const ACP_VERSION = '2.0.4';
const CLIENTS = [1, 16, 64];
// Many short rounds rather than a few long ones: the machine is shared, and a median over more
// rounds shrugs off a neighbour's burst. ~2.5 minutes in all.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PHASE_SECONDS = Number(process.env.BENCH_PHASE_SECONDS ?? 1.5);
const WARMUP_SECONDS = 3;

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

async function main() {
  const acpDir = installAcp();
  const sim = await startSimulator({ unmeteredQuota: true });
  const alice = sim.account('alice.pro@gmail.com');
  const children: ChildProcess[] = [];
  const cleanups: Array<() => void> = [];
  const pools: Pool[] = [];
  try {
    // Better Manager.
    const proxy = await startBetterManager(sim, alice.refreshToken);
    children.push(proxy.child);
    cleanups.push(proxy.cleanup);

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
    const token = await accessToken(sim, alice.refreshToken);
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
        name: 'bare Node proxy (floor, bench/bare-proxy.mjs)',
        child: bare.child,
        pool: pool(bare.url),
        path: `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`,
        headers: { 'content-type': 'application/json' },
        body: (_stream, prompt) =>
          JSON.stringify({ contents: [{ role: 'user', parts: [{ text: prompt }] }] }),
        text: upstreamText,
      },
    ];

    const m = await measure({
      sim,
      targets,
      clients: CLIENTS,
      rounds: ROUNDS,
      phaseSeconds: PHASE_SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      expected: (prompt) => simulatedReply(MODEL, prompt),
    });

    console.log(
      `Anthropic Messages \`POST /v1/messages\`, model ${MODEL}, simulator with no upstream delay; ` +
        `${ROUNDS} rounds of ${PHASE_SECONDS} s per phase, targets in turns; ` +
        `requests/s and CPU: median of the rounds (ratios: median of each round's ratio), latency: all requests.\n`,
    );
    console.log(
      table(m, [
        [0, 1, 'BM ÷ ACP'],
        [0, 2, 'BM ÷ floor'],
      ]),
    );
    console.log('');
    console.log(cpuCheck(m, 0, 2));
    console.log(
      check(m, "throughput at 64 clients ≥ 1.5× antigravity-claude-proxy's", {
        a: 0,
        b: 1,
        field: 'rps',
        limit: 1.5,
        most: false,
        phases: (p) => p.clients === 64,
        name: (p) => (p.stream ? 'stream' : 'non-stream'),
      }),
    );
  } finally {
    for (const child of children) if (child.exitCode === null) await stop(child);
    for (const created of pools) await created.close();
    await sim.close();
    for (const cleanup of cleanups) cleanup();
  }
}

await main();
