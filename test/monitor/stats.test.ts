import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { RequestLog, type RequestLogEntry } from '../../src/monitor/request-log.ts';
import {
  binLatency,
  LATENCY_BINS,
  latencyBin,
  readHistogram,
  rollUp,
} from '../../src/monitor/stats-rollup.ts';
import { RequestStats } from '../../src/monitor/stats.ts';
import { Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrations.ts';
import { tempDir } from '../helpers/cli.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 8, 12, 30);
const MODELS = ['gemini-3-flash', 'gemini-3-pro-high', 'claude-sonnet-4-5'];
const ACCOUNTS = ['a1', 'a2', 'a3', 'a4', 'a5'];
const KEYS = ['sk-live-aaaa-0001', 'sk-live-bbbb-0002', undefined];

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function entries(count: number, spanMs: number): RequestLogEntry[] {
  const next = random(19);
  return Array.from({ length: count }, (_, i) => {
    const failed = next() < 0.05;
    const account = ACCOUNTS[Math.floor(next() * ACCOUNTS.length)]!;
    return {
      createdAt: NOW - spanMs + Math.floor((i / count) * spanMs),
      protocol: 'gemini',
      route: '/v1beta/models/{model}:generateContent',
      clientKey: KEYS[Math.floor(next() * KEYS.length)],
      requestedModel: MODELS[i % MODELS.length],
      mappedModel: MODELS[i % MODELS.length],
      accountId: account,
      accountEmail: `${account}@example.com`,
      attempts: [{ accountId: account, email: `${account}@example.com`, status: failed ? 429 : 200, ms: 5 }],
      status: failed ? 429 : 200,
      latencyMs: Math.round(20 + 3000 * next() ** 3),
      stream: next() < 0.5,
      inputTokens: failed ? undefined : 100 + Math.floor(next() * 1000),
      outputTokens: failed ? undefined : Math.floor(next() * 500),
      thinkingTokens: failed ? undefined : Math.floor(next() * 200),
      cachedTokens: failed ? undefined : Math.floor(next() * 50),
    };
  });
}

function freshStore(name: string): Store {
  const store = new Store(join(tempDir(), name));
  migrate(store);
  return store;
}

function insert(store: Store, rows: RequestLogEntry[]): number {
  const log = new RequestLog(store, createLogger('silent'));
  const started = performance.now();
  for (const row of rows) log.record(row);
  log.flush();
  return performance.now() - started;
}

function exactPercentile(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('stats roll-ups', () => {
  it('histogram bins stand for their latencies within about 9%', () => {
    for (const ms of [0, 1, 2, 3, 7, 8, 15, 99, 250, 1234, 59_999, 600_000]) {
      const estimate = binLatency(latencyBin(ms));
      expect(Math.abs(estimate - ms), `${ms} ms`).toBeLessThanOrEqual(Math.max(1, ms * 0.095));
    }
  });

  it('reads a stored histogram as JSON.parse would, whatever its bins and counts', () => {
    const bins = new Int32Array(LATENCY_BINS);
    const counts = new Float64Array(LATENCY_BINS);
    const read = (text: string) => {
      const used = readHistogram(text, bins, counts);
      return Object.fromEntries(Array.from({ length: used }, (_, i) => [String(bins[i]), counts[i]]));
    };
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.integer({ min: 0, max: LATENCY_BINS - 1 }).map(String),
          fc.integer({ min: 0, max: 2 ** 40 }),
        ),
        (hist) => {
          expect(read(JSON.stringify(hist))).toEqual(hist);
        },
      ),
    );
    // What SQLite's json_group_object writes after a merge, and text this parser does not expect.
    expect(read('{"3":2,"81":1}')).toEqual({ 3: 2, 81: 1 });
    expect(read('{}')).toEqual({});
    expect(read('{ "4" : 1.5 }')).toEqual({ 4: 1.5 });
    expect(read('{"99":1,"2":7}')).toEqual({ 2: 7 });
  });

  it('a 7-day window over 100,000 log rows (written through RequestLog) answers in under 100 ms', () => {
    const rows = entries(100_000, 167 * HOUR);
    const store = freshStore('bench.db');
    const insertMs = insert(store, rows);

    // The roll-ups' share of that: the same rows rolled up alone into another store.
    const other = freshStore('other.db');
    const rollStarted = performance.now();
    other.transaction(() => rollUp(other, rows));
    const rollupMs = performance.now() - rollStarted;
    other.close();

    const stats = new RequestStats(store);
    stats.prune(NOW);
    const timings: Record<string, number> = {};
    for (const window of ['7d', '24h', '1h'] as const) {
      const started = performance.now();
      stats.report(window, NOW);
      timings[window] = performance.now() - started;
    }
    // The best of three warm reads: on a shared machine one read may wait for the CPU.
    let warm = Infinity;
    let report = stats.report('7d', NOW);
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      report = stats.report('7d', NOW);
      warm = Math.min(warm, performance.now() - started);
    }
    const rollupRows = store
      .prepare(
        'SELECT (SELECT COUNT(*) FROM request_stats_hour) AS h, (SELECT COUNT(*) FROM request_stats_minute) AS m',
      )
      .get() as {
      h: number;
      m: number;
    };
    console.log(
      `stats over 100,000 rows: 7d ${timings['7d']!.toFixed(1)} ms (warm ${warm.toFixed(1)} ms), ` +
        `24h ${timings['24h']!.toFixed(1)} ms, 1h ${timings['1h']!.toFixed(1)} ms; ` +
        `roll-up rows: ${rollupRows.h} hourly, ${rollupRows.m} per minute; ` +
        `writing 100,000 rows ${insertMs.toFixed(0)} ms, of which roll-ups ${rollupMs.toFixed(0)} ms`,
    );
    expect(warm).toBeLessThan(100);

    expect(report.totals.requests).toBe(100_000);
    const failed = rows.filter((row) => row.status >= 400).length;
    expect(report.totals.errors).toBe(failed);
    expect(report.totals.tokens.input).toBe(rows.reduce((sum, row) => sum + (row.inputTokens ?? 0), 0));
    expect(report.totals.tokens.cached).toBe(rows.reduce((sum, row) => sum + (row.cachedTokens ?? 0), 0));
    expect(report.byModel.map((row) => row.model).sort()).toEqual([...MODELS].sort());
    expect(report.byAccount).toHaveLength(ACCOUNTS.length);
    expect(report.byAccount.every((row) => row.email === `${row.accountId}@example.com`)).toBe(true);
    expect(report.byKey.map((row) => row.key).sort()).toEqual(['sk-l…01', 'sk-l…02', null].sort());
    expect(report.series).toHaveLength(168);
    expect(report.series.reduce((sum, point) => sum + point.requests, 0)).toBe(100_000);

    const latencies = rows.map((row) => row.latencyMs).sort((a, b) => a - b);
    for (const [q, value] of [
      [0.5, report.totals.latencyMs.p50],
      [0.95, report.totals.latencyMs.p95],
      [0.99, report.totals.latencyMs.p99],
    ] as const) {
      const exact = exactPercentile(latencies, q);
      expect(Math.abs(value! - exact), `p${q * 100}`).toBeLessThanOrEqual(exact * 0.1);
    }

    // 24h reads the per-minute roll-ups in 15-minute buckets, and agrees with the raw log.
    const day = stats.report('24h', NOW);
    const since = Date.parse(day.from);
    expect(day.series).toHaveLength(96);
    expect(day.totals.requests).toBe(rows.filter((row) => row.createdAt >= since).length);
    store.close();
  });
});
