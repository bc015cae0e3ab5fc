// Soak benchmark (#20, not run by CI): `node bench/soak.ts [--minutes 30] [--warmup 300] [--clients 16]
// [--max-rows 100000] [--fault-every-ms 1000]` (also the last step of `npm run bench`, 30 minutes).
// Loopback only, bounded in time: a real `better-manager serve` from dist/ (built first when stale)
// with three simulator accounts, its log retention at --max-rows so pruning runs all along; the
// simulator and the clients in this process. The clients send OpenAI chat, Anthropic messages and
// Gemini generate requests, stream and non-stream, back to back; meanwhile the simulator is
// scripted with 429s carrying retry hints (cooldowns, rotation to another account) and cut
// streams (bench/lib/soak-traffic.ts). After the warm-up, a line per minute: requests, errors,
// latency p50/p99, RSS, V8 heap, external memory, database file (+WAL). At the end the checks of
// the issue as PASS/FAIL lines, and where the resident memory goes.
//
// The warm-up is long because the server's bounded caches fill under this traffic, and memory is
// compared after it: the largest is the signature book (src/protocols/shared/signature-book.ts,
// 20,000 thought signatures of ~420 bytes, ~12 MB of heap when full), which the Gemini 3 replies
// fill at a few thousand entries a minute at 400 requests/s.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { startSimulator } from '../src/simulator/index.ts';
import { freePort } from './lib/load.ts';
import { percentile, root, simulatorConfig, sleep, startProxy, stop } from './lib/processes.ts';
import { liveSize, metrics, rssSplit, sample, type Sample } from './lib/soak-sampler.ts';
import { FaultInjector, Traffic, type Bucket } from './lib/soak-traffic.ts';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '300' },
    clients: { type: 'string', default: '16' },
    'max-rows': { type: 'string', default: '100000' },
    'fault-every-ms': { type: 'string', default: '1000' },
  },
});
const MINUTES = Number(args.minutes);
const WARMUP_SECONDS = Number(args.warmup);
const CLIENTS = Number(args.clients);
const MAX_ROWS = Number(args['max-rows']);
const FAULT_EVERY_MS = Number(args['fault-every-ms']);
const ACCOUNTS = ['alice.pro@gmail.com', 'bob.free@gmail.com', 'carol.ultra@gmail.com'];
const SAMPLE_EVERY_MS = 2000;
/** The readings compared before and after: the last this many seconds of the warm-up and of the soak. */
const WINDOW_SECONDS = 30;
/** How long the last requests get to end once the clients stop. */
const DRAIN_SECONDS = 60;

const median = (values: number[]) => percentile(values, 50);
const mb = (value: number) => value.toFixed(1);

function row(label: string, bucket: Bucket, samples: Sample[]): string {
  const last = samples.at(-1);
  const heapFloor = samples.length ? Math.min(...samples.map((s) => s.heapUsed)) : NaN;
  const p = (q: number) => (bucket.latencies.length ? percentile(bucket.latencies, q).toFixed(1) : '-');
  return `| ${label} | ${bucket.requests} | ${bucket.errors} | ${p(50)} | ${p(99)} | ${last ? mb(last.rss) : '-'} | ${mb(heapFloor)} | ${last ? mb(last.external) : '-'} | ${last ? `${mb(last.db)} (+${mb(last.wal)})` : '-'} |`;
}

/**
 * The non-stream requests still in the log that ended in a 5xx, grouped by their attempts
 * (`status/error class` per attempt, in order): why the engine gave up on them.
 */
function failedNonStream(dbPath: string): Array<[string, number]> {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const rows = db
      .prepare('SELECT status, error_class, attempts FROM request_logs WHERE stream = 0 AND status >= 500')
      .all() as Array<{ status: number; error_class: string | null; attempts: string }>;
    const patterns = new Map<string, number>();
    for (const row of rows) {
      const attempts = JSON.parse(row.attempts) as Array<{ status: number; errorClass?: string }>;
      const path = attempts.map((a) => `${a.status}${a.errorClass ? ` ${a.errorClass}` : ''}`).join(' -> ');
      const key = `${row.status} ${row.error_class ?? ''} after [${path}]`;
      patterns.set(key, (patterns.get(key) ?? 0) + 1);
    }
    return [...patterns].sort((a, b) => b[1] - a[1]);
  } finally {
    db.close();
  }
}

const check = (pass: boolean, text: string) => console.log(`${pass ? 'PASS' : 'FAIL'} ${text}`);
/** How busy the machine is: on a shared one, wall times include waiting for a core. */
const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;

async function main() {
  execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: root, stdio: 'inherit' });
  const sim = await startSimulator({ unmeteredQuota: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'bm-soak-'));
  const dbPath = join(dataDir, 'better-manager.db');
  writeFileSync(
    join(dataDir, 'config.json'),
    JSON.stringify({
      ...simulatorConfig(sim),
      // Every account takes its turn, so the faults scripted on one are met.
      scheduling: { mode: 'round-robin' },
      logging: { retentionMaxRows: MAX_ROWS },
    }),
  );
  const proxy = await startProxy(dataDir, await freePort());
  const pid = proxy.child.pid!;
  const pool = new Pool(proxy.url, { connections: CLIENTS });
  const injector = new FaultInjector(sim);
  const traffic = new Traffic(pool);
  const samples: Sample[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    const imported = await fetch(`${proxy.url}/api/accounts/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshTokens: ACCOUNTS.map((email) => sim.account(email).refreshToken) }),
    });
    if (!imported.ok) throw new Error(`import: ${imported.status} ${await imported.text()}`);
    await sleep(2000);
    const idle = await sample(proxy.url, pid, dbPath);

    console.log(
      `Soak: ${CLIENTS} clients, OpenAI chat + Anthropic messages + Gemini generate (stream and non-stream) in turn, ` +
        `${ACCOUNTS.length} accounts round-robin, a fault every ${FAULT_EVERY_MS} ms, log retention ${MAX_ROWS} rows; ` +
        `${WARMUP_SECONDS} s warm-up, then ${MINUTES} minutes; ${load()}.\n`,
    );
    console.log(
      '| minute | requests | errors | p50 (ms) | p99 (ms) | RSS (MB) | heap used, floor (MB) | external (MB) | db file (+WAL) (MB) |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    let sampling = false;
    sampler = setInterval(() => {
      if (sampling) return;
      sampling = true;
      sample(proxy.url, pid, dbPath)
        .then((s) => samples.push(s))
        .catch((error: Error) => console.error(`sample: ${error.message}`))
        .finally(() => (sampling = false));
    }, SAMPLE_EVERY_MS);
    const between = (from: number, to: number) => samples.filter((s) => s.at >= from && s.at < to);

    const started = performance.now();
    const running = traffic.run(CLIENTS);
    injector.start(FAULT_EVERY_MS);
    const warmupEnd = started + WARMUP_SECONDS * 1000;
    await sleep(warmupEnd - performance.now());
    console.log(row('warm-up', traffic.take(), between(started, warmupEnd)));

    const minutes: Bucket[] = [];
    for (let minute = 1; minute <= MINUTES; minute++) {
      const end = warmupEnd + minute * 60_000;
      await sleep(end - performance.now());
      const bucket = traffic.take();
      minutes.push(bucket);
      console.log(row(String(minute), bucket, between(end - 60_000, end)));
    }
    const soakEnd = warmupEnd + MINUTES * 60_000;
    traffic.stop();
    injector.stop();
    const drained = await Promise.race([
      running.then(() => true),
      sleep(DRAIN_SECONDS * 1000).then(() => false),
    ]);
    clearInterval(sampler);
    const gauges = await metrics(proxy.url);
    const live = liveSize(dbPath);

    // The checks of issue #20.
    const afterWarmup = between(warmupEnd - WINDOW_SECONDS * 1000, warmupEnd);
    const afterSoak = between(soakEnd - WINDOW_SECONDS * 1000, soakEnd);
    const rssBefore = median(afterWarmup.map((s) => s.rss));
    const rssAfter = median(afterSoak.map((s) => s.rss));
    const heapBefore = Math.min(...afterWarmup.map((s) => s.heapUsed));
    const heapAfter = Math.min(...afterSoak.map((s) => s.heapUsed));
    const p99s = minutes.map((bucket) => percentile(bucket.latencies, 99));
    const p99Median = median(p99s);
    const worstMinute = p99s.indexOf(Math.max(...p99s));
    const soakSamples = between(warmupEnd, soakEnd);
    const largestDb = Math.max(...soakSamples.map((s) => s.db));
    const longestStep = (gauges.get('bm_log_prune_longest_step_seconds') ?? NaN) * 1000;
    const longestStepCpu = (gauges.get('bm_log_prune_longest_step_cpu_seconds') ?? NaN) * 1000;
    const change = (after: number, before: number) => `${(((after - before) / before) * 100).toFixed(1)} %`;
    const within = (after: number, before: number) => Math.abs(after - before) <= 0.1 * before;
    console.log('');
    check(
      within(rssAfter, rssBefore),
      `RSS after the soak ${mb(rssAfter)} MB vs after the warm-up ${mb(rssBefore)} MB: ${change(rssAfter, rssBefore)} ` +
        `(median of the last ${WINDOW_SECONDS} s of each; at most 10 %)`,
    );
    check(
      within(heapAfter, heapBefore),
      `V8 heap used after the soak ${mb(heapAfter)} MB vs after the warm-up ${mb(heapBefore)} MB: ` +
        `${change(heapAfter, heapBefore)} (floor of the last ${WINDOW_SECONDS} s of each, i.e. after collections; at most 10 %)`,
    );
    const openStreams = gauges.get('bm_open_streams') ?? NaN;
    check(
      drained && traffic.started === traffic.ended && traffic.hung === 0 && openStreams === 0,
      `every request ended: ${traffic.started} started, ${traffic.ended} ended, ${traffic.hung} hung ` +
        `(no answer within 60 s), ${openStreams} streams still open in the server`,
    );
    check(
      p99s[worstMinute]! <= 3 * p99Median,
      `no minute's p99 over 3x the median minute's: worst ${p99s[worstMinute]!.toFixed(1)} ms (minute ${worstMinute + 1}), ` +
        `median ${p99Median.toFixed(1)} ms (${(p99s[worstMinute]! / p99Median).toFixed(2)}x)`,
    );
    check(
      largestDb < 2 * live.mb,
      `database file under 2x its live rows' size: largest ${mb(largestDb)} MB during the soak, ` +
        `live rows ${mb(live.mb)} MB (${live.logRows} log rows, a compact copy by VACUUM INTO) = ${(largestDb / live.mb).toFixed(2)}x`,
    );
    check(
      longestStep <= 50,
      `longest prune step ${longestStep.toFixed(1)} ms (at most 50 ms; its CPU time ${longestStepCpu.toFixed(1)} ms, ` +
        `the rest waiting for a core or the disk, ${load()}), ${gauges.get('bm_log_pruned_rows') ?? 0} rows pruned`,
    );

    const total = minutes.reduce((sum, bucket) => sum + bucket.requests, 0);
    console.log(`\n${total} requests in ${MINUTES} minutes (${(total / MINUTES / 60).toFixed(0)}/s).`);
    console.log(`Faults scripted: ${[...injector.injected].map(([name, n]) => `${name} ${n}`).join(', ')}.`);
    const errors = [...traffic.errors].sort((a, b) => b[1] - a[1]).slice(0, 8);
    if (errors.length)
      console.log(`Errors the clients saw: ${errors.map(([what, n]) => `${what} (${n})`).join('; ')}.`);
    const failed = failedNonStream(dbPath);
    if (failed.length) {
      console.log(`Non-stream 5xx still in the log (the last ${MAX_ROWS} rows), by attempts:`);
      for (const [pattern, n] of failed.slice(0, 8)) console.log(`- ${n}x ${pattern}`);
    }
    console.log('\nWhere the resident memory goes:');
    for (const [label, s] of [
      ['idle, before the load', idle],
      ['end of the warm-up, under load', afterWarmup.at(-1)],
      ['end of the soak, under load', afterSoak.at(-1)],
    ] as const) {
      if (!s) continue;
      console.log(`- ${label}:`);
      for (const line of rssSplit(s)) console.log(`    ${line}`);
    }
  } finally {
    traffic.stop();
    injector.stop();
    clearInterval(sampler);
    if (proxy.child.exitCode === null) await stop(proxy.child);
    await pool.destroy();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
