import type { Store } from '../store/database.ts';
import type { RequestLogEntry } from './request-log.ts';

/**
 * Request statistics for `GET /api/stats` (product.md §5), read from the roll-up tables of
 * migration 5 that `rollUp` keeps in the transaction writing the log rows (RequestLog):
 * `request_stats_minute` for the 1h and 24h windows, `request_stats_hour` for 7d. The log rows themselves are never scanned, so a window
 * costs the same whether it covers a hundred requests or a million.
 *
 * Latency percentiles come from each roll-up row's histogram: 4 log-scale bins per doubling
 * (bin 0 is < 1 ms, bin b in 1..80 is [2^((b-1)/4), 2^(b/4)) ms, bin 81 is >= 2^20 ms ≈ 17.5 min).
 * A percentile is reported as its bin's geometric midpoint, so it is within about ±9% of the
 * exact value (exact for 0 and 1 ms, never off by more than 1 ms below 8 ms).
 */

export type StatsWindow = '1h' | '24h' | '7d';

export const STATS_WINDOWS: readonly StatsWindow[] = ['1h', '24h', '7d'];

const MINUTE = 60_000;
const HOUR = 3_600_000;

interface WindowShape {
  /** Width of one series bucket. */
  bucketMs: number;
  buckets: number;
  table: 'request_stats_minute' | 'request_stats_hour';
}

const WINDOWS: Record<StatsWindow, WindowShape> = {
  '1h': { bucketMs: MINUTE, buckets: 60, table: 'request_stats_minute' },
  '24h': { bucketMs: 15 * MINUTE, buckets: 96, table: 'request_stats_minute' },
  '7d': { bucketMs: HOUR, buckets: 168, table: 'request_stats_hour' },
};

/** Roll-up rows older than this are deleted (the minute table serves 24h at most, the hour table 7d). */
const KEEP: Record<WindowShape['table'], number> = {
  request_stats_minute: 2 * 24 * HOUR,
  request_stats_hour: 8 * 24 * HOUR,
};
/** How often the admin routes call `prune`. */
export const PRUNE_EVERY_MS = 10 * MINUTE;

export const LATENCY_BINS = 82;

export interface TokenCounts {
  input: number;
  output: number;
  thinking: number;
  cached: number;
}

export interface Counters {
  requests: number;
  errors: number;
  /** errors / requests, 0 when there were no requests. */
  errorRate: number;
  tokens: TokenCounts;
  latencyMs: { avg: number | null; p50: number | null; p95: number | null; p99: number | null };
}

export interface SeriesPoint {
  start: string;
  requests: number;
  errors: number;
  tokens: TokenCounts;
  p50Ms: number | null;
}

export interface StatsReport {
  window: StatsWindow;
  from: string;
  to: string;
  bucketMs: number;
  totals: Counters;
  /** By mapped model (the requested one when the request failed before mapping); null when neither is known. */
  byModel: Array<{ model: string | null } & Counters>;
  /** By serving account; accountId null for requests that never reached an account. */
  byAccount: Array<{ accountId: string | null; email: string | null } & Counters>;
  /** By masked client key; null for requests without one. */
  byKey: Array<{ key: string | null } & Counters>;
  series: SeriesPoint[];
}

/** bucket_start, model, account_id, client_key, account_email, 7 sums, latency_hist */
type RawRow = [
  number,
  string,
  string,
  string,
  string | null,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  string,
];

/** The sums of one roll-up row and its histogram as parallel arrays. */
interface Rollup {
  requests: number;
  errors: number;
  input: number;
  output: number;
  thinking: number;
  cached: number;
  latencySum: number;
  bins: number[];
  counts: number[];
}

class Accumulator {
  requests = 0;
  errors = 0;
  input = 0;
  output = 0;
  thinking = 0;
  cached = 0;
  latencySum = 0;
  readonly hist = new Float64Array(LATENCY_BINS);

  add(row: Rollup): void {
    this.requests += row.requests;
    this.errors += row.errors;
    this.input += row.input;
    this.output += row.output;
    this.thinking += row.thinking;
    this.cached += row.cached;
    this.latencySum += row.latencySum;
    const { bins, counts } = row;
    for (let i = 0; i < bins.length; i++) this.hist[bins[i]!]! += counts[i]!;
  }

  tokens(): TokenCounts {
    return { input: this.input, output: this.output, thinking: this.thinking, cached: this.cached };
  }

  counters(): Counters {
    return {
      requests: this.requests,
      errors: this.errors,
      errorRate: this.requests === 0 ? 0 : round(this.errors / this.requests, 4),
      tokens: this.tokens(),
      latencyMs: {
        avg: this.requests === 0 ? null : Math.round(this.latencySum / this.requests),
        p50: percentile(this.hist, 0.5),
        p95: percentile(this.hist, 0.95),
        p99: percentile(this.hist, 0.99),
      },
    };
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The latency a histogram bin stands for (its geometric midpoint), in whole milliseconds. */
export function binLatency(bin: number): number {
  if (bin <= 0) return 0;
  if (bin >= LATENCY_BINS - 1) return 2 ** 20;
  return Math.max(1, Math.round(2 ** ((bin - 0.5) / 4)));
}

/** The bin a latency falls into (the same formula as the back-fill of migration 5). */
export function latencyBin(ms: number): number {
  if (ms < 1) return 0;
  return Math.min(LATENCY_BINS - 1, 1 + Math.floor(4 * Math.log2(ms)));
}

/** The q-quantile (nearest rank) of a histogram, or null when it is empty. */
export function percentile(hist: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let bin = 0; bin < hist.length; bin++) total += hist[bin]!;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let bin = 0; bin < hist.length; bin++) {
    seen += hist[bin]!;
    if (seen >= rank) return binLatency(bin);
  }
  return binLatency(hist.length - 1);
}

function parseHist(text: string, into: Rollup): void {
  const parsed = JSON.parse(text) as Record<string, number>;
  for (const key in parsed) {
    const bin = Number(key);
    if (!Number.isInteger(bin) || bin < 0 || bin >= LATENCY_BINS) continue;
    into.bins.push(bin);
    into.counts.push(parsed[key]!);
  }
}

function bucketOf<K>(map: Map<K, Accumulator>, key: K): Accumulator {
  let acc = map.get(key);
  if (!acc) {
    acc = new Accumulator();
    map.set(key, acc);
  }
  return acc;
}

interface Delta {
  bucketStart: number;
  model: string;
  accountId: string;
  clientKey: string;
  email: string | null;
  requests: number;
  errors: number;
  input: number;
  output: number;
  thinking: number;
  cached: number;
  latencySum: number;
  hist: Record<string, number>;
}

const ROLLUP_TABLES = [
  ['request_stats_minute', MINUTE],
  ['request_stats_hour', HOUR],
] as const;

/**
 * Adds log rows to the roll-ups; called inside the transaction that writes them. The batch is
 * summed in memory first, so a slice of rows from the same minute costs one upsert per
 * (model, account, key) and table, not one per row.
 */
export function rollUp(store: Store, batch: readonly RequestLogEntry[]): void {
  for (const [table, width] of ROLLUP_TABLES) {
    const deltas = new Map<string, Delta>();
    for (const entry of batch) {
      const bucketStart = entry.createdAt - (entry.createdAt % width);
      const model = entry.mappedModel ?? entry.requestedModel ?? '';
      const accountId = entry.accountId ?? '';
      const clientKey = entry.clientKey ?? '';
      const id = `${bucketStart}\u0000${model}\u0000${accountId}\u0000${clientKey}`;
      let delta = deltas.get(id);
      if (!delta) {
        delta = {
          bucketStart,
          model,
          accountId,
          clientKey,
          email: null,
          requests: 0,
          errors: 0,
          input: 0,
          output: 0,
          thinking: 0,
          cached: 0,
          latencySum: 0,
          hist: {},
        };
        deltas.set(id, delta);
      }
      const latency = Math.round(entry.latencyMs);
      const bin = latencyBin(latency);
      delta.email = entry.accountEmail ?? delta.email;
      delta.requests++;
      if (entry.status >= 400) delta.errors++;
      delta.input += entry.inputTokens ?? 0;
      delta.output += entry.outputTokens ?? 0;
      delta.thinking += entry.thinkingTokens ?? 0;
      delta.cached += entry.cachedTokens ?? 0;
      delta.latencySum += latency;
      delta.hist[bin] = (delta.hist[bin] ?? 0) + 1;
    }
    const upsert = store.prepare(
      `INSERT INTO ${table} (bucket_start, model, account_id, client_key, account_email, requests, errors,
         input_tokens, output_tokens, thinking_tokens, cached_tokens, latency_sum, latency_hist)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (bucket_start, model, account_id, client_key) DO UPDATE SET
         account_email = COALESCE(excluded.account_email, account_email),
         requests = requests + excluded.requests,
         errors = errors + excluded.errors,
         input_tokens = input_tokens + excluded.input_tokens,
         output_tokens = output_tokens + excluded.output_tokens,
         thinking_tokens = thinking_tokens + excluded.thinking_tokens,
         cached_tokens = cached_tokens + excluded.cached_tokens,
         latency_sum = latency_sum + excluded.latency_sum,
         latency_hist = (
           SELECT json_group_object(key, total) FROM (
             SELECT key, SUM(value) AS total FROM (
               SELECT key, value FROM json_each(latency_hist)
               UNION ALL SELECT key, value FROM json_each(excluded.latency_hist)
             ) GROUP BY key
           )
         )`,
    );
    for (const d of deltas.values()) {
      upsert.run(
        d.bucketStart,
        d.model,
        d.accountId,
        d.clientKey,
        d.email,
        d.requests,
        d.errors,
        d.input,
        d.output,
        d.thinking,
        d.cached,
        d.latencySum,
        JSON.stringify(d.hist),
      );
    }
  }
}

const byRequests = (a: { requests: number }, b: { requests: number }) => b.requests - a.requests;

export class RequestStats {
  private readonly store: Store;
  constructor(store: Store) {
    this.store = store;
  }

  report(window: StatsWindow, now = Date.now()): StatsReport {
    const shape = WINDOWS[window];
    // The window is whole series buckets, the last one holding `now`.
    const first = Math.floor(now / shape.bucketMs) * shape.bucketMs - (shape.buckets - 1) * shape.bucketMs;
    const statement = this.store.prepare(
      `SELECT bucket_start, model, account_id, client_key, account_email, requests, errors, input_tokens,
         output_tokens, thinking_tokens, cached_tokens, latency_sum, latency_hist
       FROM ${shape.table} WHERE bucket_start >= ?`,
    );
    // Arrays, not objects: the fastest rows node:sqlite makes, and this read is the whole cost.
    statement.setReturnArrays(true);
    const rows = statement.all(first) as unknown as RawRow[];

    const totals = new Accumulator();
    const models = new Map<string, Accumulator>();
    const accounts = new Map<string, Accumulator>();
    const emails = new Map<string, string>();
    const keys = new Map<string, Accumulator>();
    const series = Array.from({ length: shape.buckets }, () => new Accumulator());
    for (const raw of rows) {
      const index = Math.floor((raw[0] - first) / shape.bucketMs);
      if (index < 0 || index >= shape.buckets) continue; // a clock set back: rows "from the future"
      const row: Rollup = {
        requests: raw[5],
        errors: raw[6],
        input: raw[7],
        output: raw[8],
        thinking: raw[9],
        cached: raw[10],
        latencySum: raw[11],
        bins: [],
        counts: [],
      };
      parseHist(raw[12], row);
      totals.add(row);
      series[index]!.add(row);
      bucketOf(models, raw[1]).add(row);
      bucketOf(accounts, raw[2]).add(row);
      if (raw[4]) emails.set(raw[2], raw[4]);
      bucketOf(keys, raw[3]).add(row);
    }

    return {
      window,
      from: new Date(first).toISOString(),
      to: new Date(now).toISOString(),
      bucketMs: shape.bucketMs,
      totals: totals.counters(),
      byModel: [...models]
        .map(([model, acc]) => ({ model: model || null, ...acc.counters() }))
        .sort(byRequests),
      byAccount: [...accounts]
        .map(([id, acc]) => ({ accountId: id || null, email: emails.get(id) ?? null, ...acc.counters() }))
        .sort(byRequests),
      byKey: [...keys].map(([key, acc]) => ({ key: key || null, ...acc.counters() })).sort(byRequests),
      series: series.map((acc, i) => ({
        start: new Date(first + i * shape.bucketMs).toISOString(),
        requests: acc.requests,
        errors: acc.errors,
        tokens: acc.tokens(),
        p50Ms: percentile(acc.hist, 0.5),
      })),
    };
  }

  /** Drops roll-up rows no window reads any more (off the query path, on a timer). */
  prune(now = Date.now()): void {
    if (!this.store.isOpen) return;
    for (const [table, keep] of Object.entries(KEEP)) {
      this.store.prepare(`DELETE FROM ${table} WHERE bucket_start < ?`).run(now - keep);
    }
  }
}
