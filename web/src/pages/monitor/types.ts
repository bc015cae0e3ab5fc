/**
 * The JSON of the monitor's admin API as the dashboard reads it. Mirrors src/monitor/request-log.ts
 * (StoredLogRow), src/monitor/log-query.ts (LogDetail), src/monitor/stats.ts (StatsReport) and
 * src/monitor/usage.ts (UsageReport).
 */

export type Protocol = 'gemini' | 'openai' | 'anthropic';
export const PROTOCOLS: readonly Protocol[] = ['gemini', 'openai', 'anthropic'];

export interface AttemptRecord {
  accountId: string;
  email: string;
  status: number;
  errorClass?: string;
  ms: number;
}

export interface LogRow {
  id: number;
  /** Epoch milliseconds when the request arrived. */
  createdAt: number;
  protocol: Protocol;
  route: string;
  /** Masked, never whole. */
  clientKey?: string;
  keyId?: string;
  requestedModel?: string;
  mappedModel?: string;
  mappingRule?: string;
  /** Sent to the background model (a client's housekeeping request). */
  routed: boolean;
  accountId?: string;
  accountEmail?: string;
  sessionHash?: string;
  attempts: AttemptRecord[];
  status: number;
  errorClass?: string;
  errorMessage?: string;
  latencyMs: number;
  firstByteMs?: number;
  stream: boolean;
  inputTokens?: number;
  outputTokens?: number;
  thinkingTokens?: number;
  cachedTokens?: number;
}

export interface LogDetail extends LogRow {
  requestBody?: string;
  responseBody?: string;
}

export interface LogPage {
  logs: LogRow[];
  nextCursor: number | null;
}

export type StatsWindow = '1h' | '24h' | '7d';
export const STATS_WINDOWS: readonly StatsWindow[] = ['1h', '24h', '7d'];

export interface TokenCounts {
  input: number;
  output: number;
  thinking: number;
  cached: number;
}

export interface Counters {
  requests: number;
  errors: number;
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
  byModel: Array<{ model: string | null } & Counters>;
  byAccount: Array<{ accountId: string | null; email: string | null } & Counters>;
  byKey: Array<{ keyId: string | null; label: string | null; key: string | null } & Counters>;
  series: SeriesPoint[];
}

export type UsageWindow = '24h' | '7d' | '30d';
export const USAGE_WINDOWS: readonly UsageWindow[] = ['24h', '7d', '30d'];
export type UsageGroupBy = 'key' | 'model' | 'account';
export const USAGE_GROUPS: readonly UsageGroupBy[] = ['key', 'model', 'account'];
export type UsageBucket = 'hour' | 'day';
export const USAGE_BUCKETS: readonly UsageBucket[] = ['hour', 'day'];

export interface UsageGroup {
  group: string | null;
  label: string | null;
  requests: number;
  errors: number;
  tokens: TokenCounts;
}

export interface UsageReport {
  window: UsageWindow;
  bucket: UsageBucket;
  by: UsageGroupBy;
  from: string;
  to: string;
  buckets: string[];
  rows: Array<UsageGroup & { start: string }>;
  totals: UsageGroup[];
}

/** GET /api/proxy/keys (src/admin/proxy-routes.ts). */
export interface ApiKeyList {
  keys: Array<{ id: string; label: string; key: string; revokedAt: number | null }>;
  fromEnvironment: number;
}
