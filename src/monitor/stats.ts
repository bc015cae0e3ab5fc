import type { Store } from '../store/database.ts';
import {
  HOUR,
  LATENCY_BINS,
  MINUTE,
  percentile,
  pruneRollups,
  readHistogram,
  type RollupTable,
  type TokenCounts,
} from './stats-rollup.ts';
import { keyLabels } from './usage-labels.ts';

/**
 * Request statistics for `GET /api/stats` (product.md, Monitor), read from the roll-up tables
 * (stats-rollup.ts): `request_stats_minute` for the 1h and 24h windows, `request_stats_hour` for
 * 7d. The log rows themselves are never scanned, so a window costs the same whether it covers a
 * hundred requests or a million. Latency percentiles come from each roll-up row's histogram.
 */

export type StatsWindow = '1h' | '24h' | '7d';

export const STATS_WINDOWS: readonly StatsWindow[] = ['1h', '24h', '7d'];

interface WindowShape {
  /** Width of one series bucket. */
  bucketMs: number;
  buckets: number;
  table: RollupTable;
}

const WINDOWS: Record<StatsWindow, WindowShape> = {
  '1h': { bucketMs: MINUTE, buckets: 60, table: 'request_stats_minute' },
  '24h': { bucketMs: 15 * MINUTE, buckets: 96, table: 'request_stats_minute' },
  '7d': { bucketMs: HOUR, buckets: 168, table: 'request_stats_hour' },
};

/** How often the admin routes call `prune`. */
export const PRUNE_EVERY_MS = 10 * MINUTE;

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

export interface KeyCounters extends Counters {
  /** The api_keys id, `env:<6 hex>` for a key from the settings; null when no key was checked. */
  keyId: string | null;
  /** The key's label now (revoked keys keep theirs), "from environment", or null. */
  label: string | null;
  /** The masked key, as logged; null for requests without one. */
  key: string | null;
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
  /** By client API key. */
  byKey: KeyCounters[];
  series: SeriesPoint[];
}

/** bucket_start, model, account_id, client_key, key_id, account_email, 7 sums, latency_hist */
type RawRow = [
  number,
  string,
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

/** The sums of one roll-up row and its histogram as parallel arrays (`binCount` entries used). */
interface Rollup {
  requests: number;
  errors: number;
  input: number;
  output: number;
  thinking: number;
  cached: number;
  latencySum: number;
  bins: Int32Array;
  counts: Float64Array;
  binCount: number;
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
    const { bins, counts, binCount } = row;
    for (let i = 0; i < binCount; i++) this.hist[bins[i]!]! += counts[i]!;
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

function bucketOf<K>(map: Map<K, Accumulator>, key: K): Accumulator {
  let acc = map.get(key);
  if (!acc) {
    acc = new Accumulator();
    map.set(key, acc);
  }
  return acc;
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
      `SELECT bucket_start, model, account_id, client_key, key_id, account_email, requests, errors, input_tokens,
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
    /** By key id, else by masked key: one key id always masks the same way. */
    const keys = new Map<string, Accumulator>();
    const keyOf = new Map<string, { keyId: string; key: string }>();
    const series = Array.from({ length: shape.buckets }, () => new Accumulator());
    // One scratch row for all: each accumulator copies what it adds, and a read of 10,000 rows
    // makes no garbage per row.
    const row: Rollup = {
      requests: 0,
      errors: 0,
      input: 0,
      output: 0,
      thinking: 0,
      cached: 0,
      latencySum: 0,
      bins: new Int32Array(LATENCY_BINS),
      counts: new Float64Array(LATENCY_BINS),
      binCount: 0,
    };
    for (const raw of rows) {
      const index = Math.floor((raw[0] - first) / shape.bucketMs);
      if (index < 0 || index >= shape.buckets) continue; // a clock set back: rows "from the future"
      row.requests = raw[6];
      row.errors = raw[7];
      row.input = raw[8];
      row.output = raw[9];
      row.thinking = raw[10];
      row.cached = raw[11];
      row.latencySum = raw[12];
      row.binCount = readHistogram(raw[13], row.bins, row.counts);
      totals.add(row);
      series[index]!.add(row);
      bucketOf(models, raw[1]).add(row);
      bucketOf(accounts, raw[2]).add(row);
      if (raw[5]) emails.set(raw[2], raw[5]);
      const keyGroup = raw[4] ? `id:${raw[4]}` : `key:${raw[3]}`;
      bucketOf(keys, keyGroup).add(row);
      if (!keyOf.has(keyGroup)) keyOf.set(keyGroup, { keyId: raw[4], key: raw[3] });
    }
    const labelOf = keyLabels(this.store);

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
      byKey: [...keys]
        .map(([group, acc]) => {
          const { keyId, key } = keyOf.get(group)!;
          return { keyId: keyId || null, label: labelOf(keyId), key: key || null, ...acc.counters() };
        })
        .sort(byRequests),
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
    pruneRollups(this.store, now);
  }
}
