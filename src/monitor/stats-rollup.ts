import type { Store } from '../store/database.ts';
import type { RequestLogEntry } from './request-log.ts';

/**
 * The roll-up tables behind `/api/stats` and `/api/usage` (migrations 5 and 6), kept by RequestLog
 * in the transaction writing the log rows: `request_stats_minute` and `request_stats_hour`, one
 * row per bucket, model, account, masked client key and key id, with sums and a latency histogram.
 *
 * Latency histogram: 4 log-scale bins per doubling (bin 0 is < 1 ms, bin b in 1..80 is
 * [2^((b-1)/4), 2^(b/4)) ms, bin 81 is >= 2^20 ms, about 17.5 min). A percentile is reported as its
 * bin's geometric midpoint, so it is within about +-9% of the exact value (exact for 0 and 1 ms,
 * never off by more than 1 ms below 8 ms).
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export type RollupTable = 'request_stats_minute' | 'request_stats_hour';

/**
 * Roll-up rows older than this are deleted: the minute table serves 24h at most, the hour table
 * the 7-day stats and the 30-day usage view (a day more, so a window never starts in pruned rows).
 */
const KEEP: Record<RollupTable, number> = {
  request_stats_minute: 2 * DAY,
  request_stats_hour: 31 * DAY,
};

export const LATENCY_BINS = 82;

export interface TokenCounts {
  input: number;
  output: number;
  thinking: number;
  cached: number;
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

/**
 * Reads a stored histogram (`{"12":3,"15":1}`) into parallel arrays and answers how many bins it
 * holds. The stats read parses one per roll-up row, so this scans the text by hand instead of
 * building an object per row (a fifth of the time of JSON.parse); anything it does not expect
 * goes through JSON.parse.
 */
export function readHistogram(text: string, bins: Int32Array, counts: Float64Array): number {
  let used = 0;
  let key = 0;
  let value = 0;
  let inKey = false;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (inKey) key = key * 10 + c - 48;
      else value = value * 10 + c - 48;
      digits++;
    } else if (c === 34) {
      inKey = !inKey;
      if (inKey) key = 0;
    } else if (c === 44 || c === 125) {
      if (digits > 0) {
        if (key >= LATENCY_BINS || used >= bins.length) return readHistogramSlowly(text, bins, counts);
        bins[used] = key;
        counts[used++] = value;
      }
      value = 0;
      digits = 0;
    } else if (c !== 123 && c !== 58 && c !== 32) {
      return readHistogramSlowly(text, bins, counts);
    }
  }
  return used;
}

function readHistogramSlowly(text: string, bins: Int32Array, counts: Float64Array): number {
  const parsed = JSON.parse(text) as Record<string, number>;
  let used = 0;
  for (const key in parsed) {
    const bin = Number(key);
    if (!Number.isInteger(bin) || bin < 0 || bin >= LATENCY_BINS || used >= bins.length) continue;
    bins[used] = bin;
    counts[used++] = Number(parsed[key]) || 0;
  }
  return used;
}

interface Delta {
  bucketStart: number;
  model: string;
  accountId: string;
  clientKey: string;
  keyId: string;
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

function sumBatch(batch: readonly RequestLogEntry[], width: number): Map<string, Delta> {
  const deltas = new Map<string, Delta>();
  for (const entry of batch) {
    const bucketStart = entry.createdAt - (entry.createdAt % width);
    const model = entry.mappedModel ?? entry.requestedModel ?? '';
    const accountId = entry.accountId ?? '';
    const clientKey = entry.clientKey ?? '';
    const keyId = entry.keyId ?? '';
    const id = `${bucketStart}\u0000${model}\u0000${accountId}\u0000${clientKey}\u0000${keyId}`;
    let delta = deltas.get(id);
    if (!delta) {
      delta = {
        bucketStart,
        model,
        accountId,
        clientKey,
        keyId,
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
  return deltas;
}

/**
 * Adds log rows to the roll-ups; called inside the transaction that writes them. The batch is
 * summed in memory first, so a slice of rows from the same minute costs one upsert per
 * (model, account, key) and table, not one per row.
 */
export function rollUp(store: Store, batch: readonly RequestLogEntry[]): void {
  for (const [table, width] of ROLLUP_TABLES) {
    const upsert = store.prepare(
      `INSERT INTO ${table} (bucket_start, model, account_id, client_key, key_id, account_email, requests, errors,
         input_tokens, output_tokens, thinking_tokens, cached_tokens, latency_sum, latency_hist)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (bucket_start, model, account_id, client_key, key_id) DO UPDATE SET
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
    for (const d of sumBatch(batch, width).values()) {
      upsert.run(
        d.bucketStart,
        d.model,
        d.accountId,
        d.clientKey,
        d.keyId,
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

/** Drops roll-up rows no window reads any more (off the query path, on a timer). */
export function pruneRollups(store: Store, now = Date.now()): void {
  if (!store.isOpen) return;
  for (const [table, keep] of Object.entries(KEEP)) {
    store.prepare(`DELETE FROM ${table} WHERE bucket_start < ?`).run(now - keep);
  }
}
