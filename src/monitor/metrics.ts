import type { AttemptRecord } from './request-log.ts';

/**
 * A small Prometheus registry (text exposition format 0.0.4) for `GET /metrics` (contract.md):
 * counters and histograms with label sets, rendered with HELP and TYPE lines. Series are kept in
 * nested maps keyed by label value, so recording a request builds no string.
 */

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Seconds; from a cached answer to a long thinking stream. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Distinct model labels kept before new ones fold into `other` (unknown models are client input). */
export const MAX_MODEL_LABELS = 100;
const MAX_LABEL_LENGTH = 128;

/** Process start, epoch seconds. */
const START_TIME_SECONDS = Math.floor(performance.timeOrigin) / 1000;

/** A label value as the format wants it: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (char) => (char === '\\' ? '\\\\' : char === '"' ? '\\"' : '\\n'));
}

function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (char) => (char === '\\' ? '\\\\' : '\\n'));
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function labelText(names: readonly string[], values: readonly string[], extra?: string): string {
  const parts = names.map((name, i) => `${name}="${escapeLabelValue(values[i] ?? '')}"`);
  if (extra) parts.push(extra);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
}

/** Series by label values: one map level per label, the series object at the leaf. */
class SeriesTree<S> {
  private readonly root = new Map<string, unknown>();
  readonly all: Array<{ values: string[]; series: S }> = [];
  private readonly depth: number;
  private readonly create: () => S;

  constructor(depth: number, create: () => S) {
    this.depth = depth;
    this.create = create;
  }

  get(values: readonly string[]): S {
    let level = this.root;
    for (let i = 0; i < this.depth - 1; i++) {
      const key = values[i]!;
      let next = level.get(key) as Map<string, unknown> | undefined;
      if (!next) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    const last = values[this.depth - 1]!;
    let series = level.get(last) as S | undefined;
    if (series === undefined) {
      series = this.create();
      level.set(last, series);
      this.all.push({ values: [...values], series });
    }
    return series;
  }
}

export class Counter {
  private readonly tree: SeriesTree<{ value: number }>;
  readonly name: string;
  private readonly help: string;
  private readonly labelNames: readonly string[];

  constructor(name: string, help: string, labelNames: readonly string[]) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    if (labelNames.length === 0) throw new Error('Counter needs at least one label');
    this.tree = new SeriesTree(labelNames.length, () => ({ value: 0 }));
  }

  inc(values: readonly string[], by = 1): void {
    this.tree.get(values).value += by;
  }

  /** The sum of the series whose label values pass `keep` (all of them without it). */
  sum(keep?: (values: readonly string[]) => boolean): number {
    let total = 0;
    for (const { values, series } of this.tree.all)
      if (keep === undefined || keep(values)) total += series.value;
    return total;
  }

  /** The current value of one series (0 when it was never touched). */
  value(values: readonly string[]): number {
    return this.tree.all.find((entry) => entry.values.every((v, i) => v === values[i]))?.series.value ?? 0;
  }

  render(): string {
    let text = header(this.name, this.help, 'counter');
    for (const { values, series } of this.tree.all)
      text += `${this.name}${labelText(this.labelNames, values)} ${formatValue(series.value)}\n`;
    return text;
  }
}

interface HistogramSeries {
  /** Per bucket, not cumulative; the last slot is +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram {
  private readonly tree: SeriesTree<HistogramSeries>;
  readonly name: string;
  private readonly help: string;
  private readonly labelNames: readonly string[];
  private readonly buckets: readonly number[];

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.buckets = buckets;
    if (labelNames.length === 0) throw new Error('Histogram needs at least one label');
    this.tree = new SeriesTree(labelNames.length, () => ({
      counts: new Array<number>(buckets.length + 1).fill(0),
      sum: 0,
      count: 0,
    }));
  }

  observe(values: readonly string[], value: number): void {
    const series = this.tree.get(values);
    let i = 0;
    while (i < this.buckets.length && value > this.buckets[i]!) i++;
    series.counts[i]!++;
    series.sum += value;
    series.count++;
  }

  render(): string {
    let text = header(this.name, this.help, 'histogram');
    for (const { values, series } of this.tree.all) {
      let cumulative = 0;
      for (let i = 0; i <= this.buckets.length; i++) {
        cumulative += series.counts[i]!;
        const le = i < this.buckets.length ? formatValue(this.buckets[i]!) : '+Inf';
        text += `${this.name}_bucket${labelText(this.labelNames, values, `le="${le}"`)} ${cumulative}\n`;
      }
      const labels = labelText(this.labelNames, values);
      text += `${this.name}_sum${labels} ${formatValue(series.sum)}\n`;
      text += `${this.name}_count${labels} ${series.count}\n`;
    }
    return text;
  }
}

/** A gauge whose values are computed at scrape time. */
export function renderGauge(
  name: string,
  help: string,
  samples: Iterable<[labels: Record<string, string>, value: number]>,
): string {
  let text = header(name, help, 'gauge');
  for (const [labels, value] of samples) {
    const names = Object.keys(labels);
    text += `${name}${labelText(
      names,
      names.map((key) => labels[key]!),
    )} ${formatValue(value)}\n`;
  }
  return text;
}

const statusLabels: string[] = [];
function statusLabel(status: number): string {
  return (statusLabels[status] ??= String(status));
}

/** What the proxy counts (product.md §7); one per runtime, fed by every ExchangeRecord. */
export class ProxyMetrics {
  readonly requests = new Counter(
    'bm_requests_total',
    'Proxied client requests by protocol, route, upstream model and HTTP status.',
    ['protocol', 'route', 'model', 'status'],
  );
  readonly duration = new Histogram(
    'bm_request_duration_seconds',
    'Time from receiving a proxied request to its end (the last byte of a stream).',
    ['protocol'],
    DURATION_BUCKETS,
  );
  readonly attempts = new Counter(
    'bm_upstream_attempts_total',
    'Upstream attempts by outcome: ok, or the error class (rate_limited, timeout, network, ...).',
    ['outcome'],
  );
  private openStreams = 0;
  private readonly models = new Set<string>();
  private readonly key: string[] = ['', '', '', ''];
  private readonly one: string[] = [''];

  /** Bounded label values: past MAX_MODEL_LABELS distinct models, new ones count as `other`. */
  private modelLabel(model: string | undefined): string {
    if (!model) return 'none';
    if (this.models.has(model)) return model;
    if (this.models.size >= MAX_MODEL_LABELS || model.length > MAX_LABEL_LENGTH) return 'other';
    this.models.add(model);
    return model;
  }

  recordRequest(
    protocol: string,
    route: string,
    model: string | undefined,
    status: number,
    latencyMs: number,
    attempts: readonly AttemptRecord[],
  ): void {
    const key = this.key;
    key[0] = protocol;
    key[1] = route;
    key[2] = this.modelLabel(model);
    key[3] = statusLabel(status);
    this.requests.inc(key);
    this.one[0] = protocol;
    this.duration.observe(this.one, latencyMs / 1000);
    for (const attempt of attempts) {
      this.one[0] = attempt.errorClass ?? (attempt.status < 400 ? 'ok' : statusLabel(attempt.status));
      this.attempts.inc(this.one);
    }
  }

  streamOpened(): void {
    this.openStreams++;
  }

  streamClosed(): void {
    this.openStreams--;
  }

  get streams(): number {
    return this.openStreams;
  }

  /** Proxied requests since start, and how many of them ended with a status of 400 or more. */
  totals(): { requests: number; errors: number } {
    return {
      requests: this.requests.sum(),
      errors: this.requests.sum((values) => Number(values[3]) >= 400),
    };
  }

  /** The whole exposition; `scraped` holds the gauges the caller computes at scrape time. */
  render(scraped: string[] = []): string {
    return [
      this.requests.render(),
      this.duration.render(),
      this.attempts.render(),
      renderGauge('bm_open_streams', 'Streams being relayed to clients right now.', [[{}, this.openStreams]]),
      ...scraped,
      renderGauge('process_resident_memory_bytes', 'Resident memory size in bytes.', [
        [{}, process.memoryUsage.rss()],
      ]),
      renderGauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', [
        [{}, START_TIME_SECONDS],
      ]),
    ].join('');
  }
}
