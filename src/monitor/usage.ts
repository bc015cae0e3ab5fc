import type { Store } from '../store/database.ts';
import { DAY, HOUR, type TokenCounts } from './stats-rollup.ts';
import { keyLabels } from './usage-labels.ts';

/**
 * The usage view of `GET /api/usage` (product.md, Monitor): requests, errors and tokens (cached
 * included) per client key, model or account, in hour or day buckets, over the last 24 hours, 7
 * or 30 days. Read from the hour roll-up (kept 31 days) and summed in SQL, so even 30 days by hour
 * is a few thousand rows at most.
 */

export type UsageWindow = '24h' | '7d' | '30d';
export type UsageGroupBy = 'key' | 'model' | 'account';
export type UsageBucket = 'hour' | 'day';

export const USAGE_WINDOWS: readonly UsageWindow[] = ['24h', '7d', '30d'];
export const USAGE_GROUPS: readonly UsageGroupBy[] = ['key', 'model', 'account'];
export const USAGE_BUCKETS: readonly UsageBucket[] = ['hour', 'day'];

const WINDOW_HOURS: Record<UsageWindow, number> = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 };

export interface UsageQuery {
  window: UsageWindow;
  by: UsageGroupBy;
  bucket: UsageBucket;
  /** Minutes east of UTC where a day starts for `bucket=day` (480 for China); 0 is UTC. */
  tzOffset?: number;
}

export interface UsageCounts {
  requests: number;
  errors: number;
  tokens: TokenCounts;
}

export interface UsageGroup extends UsageCounts {
  /**
   * by key: the key id, or the masked key when the proxy checked none (no key configured), null
   * without a key; by model: the model; by account: the account id. Each of these is accepted by
   * `/api/logs?key=|model=|account=`. null: requests without one.
   */
  group: string | null;
  /** The key's label, the model, the account's email; null when there is none. */
  label: string | null;
}

export interface UsageRow extends UsageGroup {
  /** ISO start of the bucket (for `day`, the first bucket may start before `from`). */
  start: string;
}

export interface UsageReport {
  window: UsageWindow;
  bucket: UsageBucket;
  by: UsageGroupBy;
  /** The window: whole hours, the last one holding `to`. */
  from: string;
  to: string;
  /** Every bucket start in the window, oldest first (rows only exist for buckets with requests). */
  buckets: string[];
  /** Oldest bucket first; within a bucket, most requests first. */
  rows: UsageRow[];
  /** The window's sums per group, most requests first. */
  totals: UsageGroup[];
}

/** group, label, bucket start, requests, errors, 4 token sums */
type RawRow = [string, string | null, number, number, number, number, number, number, number];

/** The SQL naming a row's group and its label, per dimension. */
const DIMENSIONS: Record<UsageGroupBy, { group: string; label: string }> = {
  // A group by key id has one key_id; a group by masked key (no key checked) has only ''.
  key: { group: "CASE WHEN key_id != '' THEN key_id ELSE client_key END", label: 'MAX(key_id)' },
  model: { group: 'model', label: 'NULL' },
  account: { group: 'account_id', label: 'MAX(account_email)' },
};

function bucketStartOf(ms: number, bucket: UsageBucket, offsetMs: number): number {
  if (bucket === 'hour') return ms - (ms % HOUR);
  return Math.floor((ms + offsetMs) / DAY) * DAY - offsetMs;
}

export class UsageReader {
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  report(query: UsageQuery, now = Date.now()): UsageReport {
    const { window, by, bucket } = query;
    const offsetMs = (query.tzOffset ?? 0) * 60_000;
    const from = now - (now % HOUR) - (WINDOW_HOURS[window] - 1) * HOUR;
    const dimension = DIMENSIONS[by];
    // Day buckets are summed in SQL too: the offset moves midnight to the caller's time zone.
    const bucketSql =
      bucket === 'hour'
        ? 'bucket_start'
        : `((bucket_start + CAST(?1 AS INTEGER)) / ${DAY}) * ${DAY} - CAST(?1 AS INTEGER)`;
    const statement = this.store.prepare(
      `SELECT ${dimension.group} AS grp, ${dimension.label} AS label, ${bucketSql} AS start,
         SUM(requests), SUM(errors), SUM(input_tokens), SUM(output_tokens), SUM(thinking_tokens), SUM(cached_tokens)
       FROM request_stats_hour WHERE bucket_start >= ?2 AND bucket_start <= ?3
       GROUP BY start, grp ORDER BY start, SUM(requests) DESC, grp`,
    );
    statement.setReturnArrays(true);
    const raws = statement.all(offsetMs, from, now) as unknown as RawRow[];

    const labelOf = this.labeller(by);
    const totals = new Map<string, UsageGroup>();
    const rows: UsageRow[] = raws.map(([group, rawLabel, start, requests, errors, ...tokens]) => {
      const counts: UsageCounts = {
        requests,
        errors,
        tokens: { input: tokens[0]!, output: tokens[1]!, thinking: tokens[2]!, cached: tokens[3]! },
      };
      const named = { group: group || null, label: labelOf(group, rawLabel) };
      add(totals, named, counts);
      return { start: new Date(start).toISOString(), ...named, ...counts };
    });

    const buckets: string[] = [];
    const step = bucket === 'hour' ? HOUR : DAY;
    for (let start = bucketStartOf(from, bucket, offsetMs); start <= now; start += step) {
      buckets.push(new Date(start).toISOString());
    }
    return {
      window,
      bucket,
      by,
      from: new Date(from).toISOString(),
      to: new Date(now).toISOString(),
      buckets,
      rows,
      totals: [...totals.values()].sort(byRequestsThenGroup),
    };
  }

  /** The label of a group: the key's label (read now), the model, the account's email. */
  private labeller(by: UsageGroupBy): (group: string, rawLabel: string | null) => string | null {
    if (by === 'model') return (group) => group || null;
    if (by === 'account') {
      // The roll-up keeps the email it saw; the accounts table knows the ones it never saw.
      const emails = new Map(
        (
          this.store.prepare('SELECT id, email FROM accounts').all() as Array<{ id: string; email: string }>
        ).map((row) => [row.id, row.email]),
      );
      return (group, rawLabel) => (group ? (rawLabel ?? emails.get(group) ?? null) : null);
    }
    const labels = keyLabels(this.store);
    return (_group, keyId) => labels(keyId || null);
  }
}

/** Most requests first; ties by group, the group-less last, so the order never depends on the store. */
function byRequestsThenGroup(a: UsageGroup, b: UsageGroup): number {
  if (a.requests !== b.requests) return b.requests - a.requests;
  if (a.group === b.group) return 0;
  if (a.group === null) return 1;
  if (b.group === null) return -1;
  return a.group < b.group ? -1 : 1;
}

function add(
  totals: Map<string, UsageGroup>,
  named: Omit<UsageGroup, keyof UsageCounts>,
  counts: UsageCounts,
) {
  const id = named.group ?? '';
  let total = totals.get(id);
  if (!total) {
    total = { ...named, requests: 0, errors: 0, tokens: { input: 0, output: 0, thinking: 0, cached: 0 } };
    totals.set(id, total);
  }
  total.requests += counts.requests;
  total.errors += counts.errors;
  total.tokens.input += counts.tokens.input;
  total.tokens.output += counts.tokens.output;
  total.tokens.thinking += counts.tokens.thinking;
  total.tokens.cached += counts.tokens.cached;
}
