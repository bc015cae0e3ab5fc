// The load machinery of the side-by-side protocol benchmarks (bench/anthropic.ts, bench/openai.ts):
// clients sending requests back to back through each target in turn, every reply checked for the
// simulator's text, CPU per request of each proxy process from /proc/<pid>/stat, and the Markdown
// table of the results.
//
// Targets take turns phase by phase (the order rotating) over several rounds, after a warm-up;
// requests/s and CPU per request are the medians over the rounds, latencies pooled; a ratio between
// two targets is the median of each round's ratio (the two ran back to back, so a burst of
// background load that hits one round hits both).
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'undici';
import type { Simulator } from '../../src/simulator/index.ts';
import { percentile, rssMb, simulatorConfig, startProxy } from './processes.ts';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** utime + stime of a process (all its threads), in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** The simulator's default answer to a prompt (src/simulator/reply-plan.ts). */
export const simulatedReply = (model: string, prompt: string) =>
  `Simulated reply from ${model}: you said "${prompt}".`;

/** The raw `data:` payloads of an SSE body; an `event: error` fails the request. */
export function ssePayloads(body: string): string[] {
  const out: string[] = [];
  // The upstream ends its lines with CRLF (wire.md §2.8), Anthropic and OpenAI with LF.
  for (const event of body.split(/\r?\n\r?\n/)) {
    if (/^event: error\r?$/m.test(event)) throw new Error(`error event: ${event}`);
    const data = /^data: (.*?)\r?$/m.exec(event)?.[1];
    if (data) out.push(data);
  }
  return out;
}

/** The `data:` payloads of an SSE body, parsed as JSON; an `event: error` fails the request. */
export const sseData = (body: string): unknown[] => ssePayloads(body).map((data) => JSON.parse(data));

/** Text of a v1internal `streamGenerateContent` SSE body (wire.md §2.8), what the floor relays. */
export function upstreamText(_stream: boolean, body: string): string {
  type Chunk = {
    response?: { candidates?: Array<{ content?: { parts?: Array<{ text?: string; thought?: boolean }> } }> };
  };
  return (sseData(body) as Chunk[])
    .flatMap((chunk) => chunk.response?.candidates?.[0]?.content?.parts ?? [])
    .map((part) => (part.thought ? '' : (part.text ?? '')))
    .join('');
}

/** An access token of a simulator account, for the floor (which has no accounts of its own). */
export async function accessToken(sim: Simulator, refreshToken: string): Promise<string> {
  const response = await fetch(sim.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * A real `better-manager serve` in a fresh data folder (removed by `cleanup`), with one account
 * imported from the simulator. BENCH_CPU_PROF=<dir> runs it with --cpu-prof into <dir>;
 * BENCH_FROM_SOURCE=1 runs src/cli.ts instead of the bundle (a profile with readable names and
 * file:line of src/), BENCH_FROM_SOURCE=<path> another cli.ts (e.g. of a commit checked out elsewhere).
 */
export async function startBetterManager(
  sim: Simulator,
  refreshToken: string,
): Promise<{ child: ChildProcess; url: string; cleanup: () => void }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bm-bench-'));
  const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(simulatorConfig(sim)));
  const profDir = process.env.BENCH_CPU_PROF;
  const fromSource = process.env.BENCH_FROM_SOURCE;
  const proxy = await startProxy(
    dataDir,
    await freePort(),
    profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
    fromSource === '1' ? 'src/cli.ts' : fromSource || undefined,
  );
  const imported = await fetch(`${proxy.url}/api/accounts/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshTokens: [refreshToken] }),
  });
  if (!imported.ok) throw new Error(`import: ${imported.status} ${await imported.text()}`);
  return { child: proxy.child, url: proxy.url, cleanup };
}

export interface Target {
  /** Its column in the table, and the name in an error. */
  name: string;
  child: ChildProcess;
  pool: Pool;
  path: string;
  headers: Record<string, string>;
  body: (stream: boolean, prompt: string, worker: number) => string;
  /** The reply's text, from the raw body; throws on an error event or a missing end. */
  text: (stream: boolean, body: string) => string;
}

export interface PhaseResult {
  rps: number;
  cpuMsPerRequest: number;
  /** This process (the clients and the simulator), for context: on 2 cores it shares the machine. */
  benchCpuMsPerRequest: number;
  latencies: number[];
}

/** `clients` workers sending requests back to back for `seconds`; every reply checked. */
export async function phase(
  target: Target,
  stream: boolean,
  clients: number,
  seconds: number,
  expected: (prompt: string) => string,
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

function rotate<T>(items: T[], by: number): T[] {
  return items.map((_, i) => items[(i + by) % items.length]!);
}

export interface Phase {
  stream: boolean;
  clients: number;
}

export interface LoadOptions {
  sim: Simulator;
  targets: Target[];
  /** Client counts; every one is run non-stream, then stream. */
  clients: number[];
  rounds: number;
  phaseSeconds: number;
  warmupSeconds: number;
  expected: (prompt: string) => string;
}

const median = (values: number[]) => percentile(values, 50);

/** What `measure` found: per target and phase, the result of each round. */
export class Measurements {
  readonly targets: Target[];
  readonly phases: Phase[];
  readonly rounds: number;
  readonly phaseSeconds: number;
  /** RSS of each target after the load, MB. */
  rss: number[] = [];
  private readonly results = new Map<string, PhaseResult[]>();

  constructor(targets: Target[], phases: Phase[], rounds: number, phaseSeconds: number) {
    this.targets = targets;
    this.phases = phases;
    this.rounds = rounds;
    this.phaseSeconds = phaseSeconds;
  }

  add(target: number, { stream, clients }: Phase, result: PhaseResult): void {
    const key = `${target} ${stream} ${clients}`;
    const list = this.results.get(key) ?? [];
    list.push(result);
    this.results.set(key, list);
  }

  runs(target: number, { stream, clients }: Phase): PhaseResult[] {
    return this.results.get(`${target} ${stream} ${clients}`)!;
  }

  summary(target: number, phase: Phase) {
    const runs = this.runs(target, phase);
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
  }

  /** Median over the rounds of a / b within each round. */
  paired(phase: Phase, a: number, b: number, field: 'rps' | 'cpuMsPerRequest'): number {
    const bs = this.runs(b, phase);
    return median(this.runs(a, phase).map((run, round) => run[field] / bs[round]![field]));
  }
}

/** Warm-up, then `rounds` rounds of every phase, the targets taking turns. */
export async function measure(options: LoadOptions): Promise<Measurements> {
  const { sim, targets, expected } = options;
  // Warm-up: the JIT settles, connections open, tokens and projects get cached.
  for (const target of targets)
    for (const stream of [false, true]) await phase(target, stream, 16, options.warmupSeconds / 2, expected);
  sim.requests.splice(0);

  const phases = [false, true].flatMap((stream) => options.clients.map((clients) => ({ stream, clients })));
  const measurements = new Measurements(targets, phases, options.rounds, options.phaseSeconds);
  const indices = targets.map((_, index) => index);
  let turn = 0;
  for (let round = 0; round < options.rounds; round++) {
    for (const p of phases) {
      for (const index of rotate(indices, turn++ % targets.length)) {
        measurements.add(
          index,
          p,
          await phase(targets[index]!, p.stream, p.clients, options.phaseSeconds, expected),
        );
        // The simulator keeps every request it saw; the benchmark needs none of them.
        sim.requests.splice(0);
      }
    }
  }
  measurements.rss = targets.map((target) => rssMb(target.child.pid!));
  return measurements;
}

const times = (value: number) => `${value.toFixed(2)}×`;
const ratio = (a: number, b: number) => times(a / b);
const modeOf = (stream: boolean) => (stream ? 'stream' : 'non-stream');
const where = ({ stream, clients }: Phase) =>
  `${modeOf(stream)}, ${clients} client${clients === 1 ? '' : 's'}`;

/**
 * The Markdown table: per phase, requests/s, latency, proxy CPU and bench CPU per request of every
 * target, then a column per comparison (`[a, b, heading]`: a ÷ b); RSS after the load last.
 */
export function table(m: Measurements, comparisons: Array<[number, number, string]>): string {
  const lines = [
    `| mode | clients | measure | ${m.targets.map((t) => t.name).join(' | ')} | ${comparisons.map(([, , heading]) => heading).join(' | ')} |`,
    `|---|---|---|${m.targets.map(() => '---|').join('')}${comparisons.map(() => '---|').join('')}`,
  ];
  const row = (cells: string[]) => lines.push(`| ${cells.join(' | ')} |`);
  for (const p of m.phases) {
    const s = m.targets.map((_, index) => m.summary(index, p));
    const head = [modeOf(p.stream), String(p.clients)];
    row([
      ...head,
      'requests/s (range over rounds)',
      ...s.map((x) => `${x.rps.toFixed(0)} (${x.rpsRange})`),
      ...comparisons.map(([a, b]) => times(m.paired(p, a, b, 'rps'))),
    ]);
    row([
      ...head,
      'latency p50 / p99 (ms)',
      ...s.map((x) => `${x.p50.toFixed(2)} / ${x.p99.toFixed(2)}`),
      ...comparisons.map(([a, b]) => `${ratio(s[a]!.p50, s[b]!.p50)} / ${ratio(s[a]!.p99, s[b]!.p99)}`),
    ]);
    row([
      ...head,
      'proxy CPU per request (ms)',
      ...s.map((x) => x.cpu.toFixed(3)),
      ...comparisons.map(([a, b]) => times(m.paired(p, a, b, 'cpuMsPerRequest'))),
    ]);
    row([
      ...head,
      'bench process CPU per request (ms: clients + simulator)',
      ...s.map((x) => x.benchCpu.toFixed(3)),
      ...comparisons.map(() => ''),
    ]);
  }
  row([
    '',
    '',
    'RSS after load (MB)',
    ...m.rss.map((mb) => mb.toFixed(1)),
    ...comparisons.map(([a, b]) => ratio(m.rss[a]!, m.rss[b]!)),
  ]);
  return lines.join('\n');
}

/**
 * A target line: the paired ratio a ÷ b of `field` in every phase that `phases` keeps, its worst,
 * and met / not met. `most` (e.g. CPU: at most 1.3×) or at least (throughput: at least 1.5×).
 */
export function check(
  m: Measurements,
  label: string,
  options: {
    a: number;
    b: number;
    field: 'rps' | 'cpuMsPerRequest';
    limit: number;
    most: boolean;
    /** The phases the target is about (default: all). */
    phases?: (p: Phase) => boolean;
    /** How a phase is named in the line (default: its mode and client count). */
    name?: (p: Phase) => string;
  },
): string {
  const { a, b, field, limit, most, phases = () => true, name = where } = options;
  const ratios = m.phases.filter(phases).map((p) => ({ value: m.paired(p, a, b, field), where: name(p) }));
  const worst = ratios.reduce((x, y) => ((most ? y.value > x.value : y.value < x.value) ? y : x));
  const met = most ? worst.value <= limit : worst.value >= limit;
  const each = ratios.map((r) => `${r.where} ${r.value.toFixed(2)}×`).join(', ');
  return (
    `- ${label}: ${most ? 'worst' : 'lowest'} ${worst.value.toFixed(2)}× (${worst.where}) — ` +
    `${met ? 'met' : 'not met'} (${each})`
  );
}

/** The CPU target shared by the protocol benchmarks: CPU per request ≤ 1.3× the floor's, every phase. */
export const cpuCheck = (m: Measurements, ours: number, floor: number) =>
  check(m, "CPU per request ≤ 1.3× the floor's", {
    a: ours,
    b: floor,
    field: 'cpuMsPerRequest',
    limit: 1.3,
    most: true,
  });
